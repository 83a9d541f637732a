#!/usr/bin/env bash
# The scrape benchmark (docs/benchmarks.md): direct, kubescrape, nginx, haproxy and kubectl proxy in front of one
# HTTPS upstream, interleaved rounds, a Markdown report on stdout. Options are ScrapeBenchmark's, e.g.
#   bench/scrape.sh --rounds 3 --seconds 10 --sizes 2k,57.5k,5m --connections 4,50
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)   # only where kubectl is missing: they conflict
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
export PATH="$PATH:/usr/sbin"

if [ ! -f proxy-it/target/kube-sim.jar ] || [ ! -f proxy-server/target/kubescrape.jar ]; then
  mvn -B -ntp -q -Dstyle.color=never -DskipTests package
fi
exec java -cp proxy-it/target/kube-sim.jar io.kubescrape.bench.ScrapeBenchmark "$@"
