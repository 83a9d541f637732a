#!/usr/bin/env bash
# The kubescrape demo: builds what is needed, starts kube-sim (a simulated cluster) and kubescrape wired
# together, and prints URLs to try. Ctrl-C stops both.
#   PODS=50 SIM_PORT=6443 KUBESCRAPE_PORT=8080 CHURN=0 ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"

PODS=${PODS:-20}
SIM_PORT=${SIM_PORT:-6443}
KUBESCRAPE_PORT=${KUBESCRAPE_PORT:-8080}
CHURN=${CHURN:-0}
KUBESCRAPE_JAR=proxy-server/target/kubescrape.jar
SIM_JAR=proxy-it/target/kube-sim.jar
work=target/demo
mkdir -p "$work"

stale=""
for jar in "$KUBESCRAPE_JAR" "$SIM_JAR"; do
  if [ ! -f "$jar" ] || [ -n "$(find . -path ./target -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    stale=yes
  fi
done
if [ -n "$stale" ]; then
  echo "Building kubescrape and kube-sim (mvn -DskipTests package; the first build downloads dependencies)..."
  mvn -B -q -ntp -Dstyle.color=never -DskipTests package
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping kube-sim and kubescrape."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

wait_for() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "demo: $1 never said '$2':" >&2
  cat "$1" >&2
  exit 1
}

java -jar "$SIM_JAR" --listen "127.0.0.1:$SIM_PORT" --pods "$PODS" --churn "$CHURN" --token demo-token \
  --ca-dir "$work/ca" --kubeconfig-out "$work/kubeconfig" >"$work/kube-sim.log" 2>&1 &
pids+=($!)
wait_for "$work/kube-sim.log" "kube-sim ready" 30

# Every discovery role on, so /sd?role=... and the browse page show nodes, API servers and Service endpoints too.
cat >"$work/kubescrape.yaml" <<YAML
kubeconfigs: [{path: kubeconfig}]
cluster_defaults: {discovery: {roles: [pod, node, apiserver, endpoints, aggregate]}}
YAML
java -jar "$KUBESCRAPE_JAR" --config "$work/kubescrape.yaml" --listen "127.0.0.1:$KUBESCRAPE_PORT" \
  >"$work/kubescrape.log" 2>&1 &
pids+=($!)
wait_for "$work/kubescrape.log" "listening on" 30

base="http://127.0.0.1:$KUBESCRAPE_PORT"
cat <<TXT
$(head -2 "$work/kube-sim.log")
$(grep "listening on" "$work/kubescrape.log" | sed 's/^.*INFO  [^ ]* //')

Try:
  curl $base/clusters/kube-sim/ns/default/pods/web-0/metrics              # a pod's metrics (bearer token)
  curl $base/clusters/kube-sim-mtls/ns/monitoring/pods/web-1/metrics      # the same cluster over mTLS
  curl $base/clusters/kube-sim/ns/default/pods/api-0/metrics              # its annotation names a port; kubescrape resolves it
  curl -i $base/clusters/kube-sim/ns/faults/pods/slow-0/metrics -H 'X-Prometheus-Scrape-Timeout-Seconds: 2'   # 504
  curl $base/clusters/kube-sim/nodes/node-1/metrics/cadvisor            # a node's cAdvisor, through the node proxy
  curl $base/clusters/kube-sim/apiserver/metrics                         # the API server's own metrics
  curl $base/metrics                                                     # kubescrape's own metrics
  curl $base/sd                                                          # every pod as Prometheus http_sd targets
  curl "$base/sd?role=node,apiserver,endpoints"                          # nodes, API servers, Service endpoints
  curl $base/clusters/kube-sim/ns/default/metrics                        # a namespace's pods as one aggregated body
  open $base/ in a browser                                               # every cluster and pod, with their metrics
  KUBECONFIG=$work/kubeconfig kubectl get pods -A                         # the simulated cluster itself

Logs: $work/kube-sim.log, $work/kubescrape.log. Ctrl-C stops both.
TXT
wait -n "${pids[@]}"
