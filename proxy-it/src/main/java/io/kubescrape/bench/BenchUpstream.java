package io.kubescrape.bench;

import io.kubescrape.testing.Fixtures;
import io.kubescrape.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one upstream every contender shares: nginx over HTTPS standing in for an API server. It checks the bearer
 * token, answers {@code /version} (kubectl asks) and pod GETs (kubescrape resolves ports from them), and serves
 * the fixture bodies at pod-proxy paths, {@code /api/v1/namespaces/bench/pods/<pod>:9100/proxy/metrics}. Each body
 * is served by {@value #PODS_PER_BODY} pods ({@code node-0} … {@code node-199}), so that a load cycling through them
 * is as many different scrapes as Prometheus sends, not one URL that kubescrape's sharing would fold together.
 * nginx serving static files is far cheaper than any proxy in front of it, so it is never the bottleneck.
 */
final class BenchUpstream {
    static final String TOKEN = "bench-token-4f1c9a";
    /** The pods and their bodies: the 2 KB and 57.5 KB fixtures, and 5 MB of node_exporter text. */
    static final Map<String, String> PODS = Map.of("small", "2k", "node", "57.5k", "big", "5m");

    final TestPki pki = new TestPki("bench-ca");
    final Path dir;
    final Path caFile;
    final int port;
    /** A plain-HTTP port of the same server, only for the readiness check. */
    private final int healthPort;

    /** Whether the upstream offers HTTP/2 in ALPN, as a real (Go) API server does; else HTTP/1.1 only. */
    private final boolean http2;

    BenchUpstream(Path dir, boolean http2) throws IOException {
        this.dir = dir;
        this.http2 = http2;
        this.caFile = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        this.port = Launched.freePort();
        this.healthPort = Launched.freePort();
    }

    static String size(String pod) {
        return PODS.get(pod);
    }

    static final int PODS_PER_BODY = 200;

    /** The pods serving the body of {@code size}, each its own scrape target. */
    static List<String> podsFor(String size) {
        String base = podFor(size);
        List<String> pods = new ArrayList<>(PODS_PER_BODY);
        for (int i = 0; i < PODS_PER_BODY; i++) {
            pods.add(base + "-" + i);
        }
        return pods;
    }

    static String podFor(String size) {
        return PODS.entrySet().stream().filter(e -> e.getValue().equals(size)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no body of size " + size + "; sizes are 2k, 57.5k, 5m")).getKey();
    }

    Launched start() throws IOException, InterruptedException {
        Path bodies = Files.createDirectories(dir.resolve("bodies"));
        Files.write(bodies.resolve("small.prom"), Fixtures.bytes("small-2k.prom"));
        byte[] node = Fixtures.bytes("node-exporter-1.5.0.prom");
        Files.write(bodies.resolve("node.prom"), node);
        try (var out = Files.newOutputStream(bodies.resolve("big.prom"))) {
            for (long n = 0; n < 5L * 1024 * 1024; n += node.length) {
                out.write(node);
            }
        }
        TestPki.Issued cert = pki.server(TestPki.KeyType.EC);
        Files.writeString(dir.resolve("upstream.crt"), cert.certificatePem());
        Files.writeString(dir.resolve("upstream.key"), cert.keyPem(TestPki.KeyFormat.PKCS8));
        Path conf = Files.writeString(dir.resolve("upstream.conf"), """
                worker_processes auto;
                daemon off;
                pid %1$s/upstream.pid;
                error_log %1$s/upstream-error.log warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp;
                  keepalive_requests 10000000;
                  keepalive_timeout 300s;
                  sendfile on;
                  server {
                    # reuseport: the kernel spreads connections over the workers. Without it one worker
                    # accepted up to all 50 of a proxy's connections in a burst (measured 47/3, 2/48, 50/0, 25/25
                    # for four starts of the same proxy), and nginx serves a connection in the worker that took
                    # it, so a contender's speed for the whole run hung on that race. A Go API server ties no
                    # connection to a core.
                    listen 127.0.0.1:%2$d ssl%5$s reuseport;
                    # With --upstream http2, like kube-apiserver: 1000 streams a connection, and DATA frames of
                    # 16 KB (Go's default frame size; nginx's own default is 8k).
                    http2_max_concurrent_streams 1000;
                    http2_chunk_size 16k;
                    listen 127.0.0.1:%3$d;
                    # Like kube-apiserver (Go's TLS): TLS 1.3 offered, and AES-128-GCM picked for every client on
                    # a machine with AES instructions (nginx 1.22 alone offers TLS 1.2 at most, and takes the
                    # client's choice: AES-256 for OpenSSL's clients).
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_prefer_server_ciphers on;
                    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
                    ssl_certificate %1$s/upstream.crt;
                    ssl_certificate_key %1$s/upstream.key;
                    ssl_session_cache shared:SSL:10m;
                    location = /healthz { return 200 "ok\\n"; }
                    location / {
                      if ($http_authorization != "Bearer %4$s") {
                        return 401 '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}';
                      }
                      location = /version {
                        default_type application/json;
                        return 200 '{"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}';
                      }
                      location ~ "^/api/v1/namespaces/bench/pods/([a-z]+-[0-9]+)$" {
                        default_type application/json;
                        return 200 '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"$1","namespace":"bench","annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9100"}},"spec":{"containers":[{"name":"exporter","ports":[{"name":"metrics","containerPort":9100,"protocol":"TCP"}]}]},"status":{"phase":"Running","podIP":"10.0.0.1"}}';
                      }
                      location ~ "^/api/v1/namespaces/bench/pods/([a-z]+)-[0-9]+:9100/proxy/metrics$" {
                        default_type "text/plain; version=0.0.4; charset=utf-8";
                        alias %1$s/bodies/$1.prom;
                      }
                      return 404 '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}';
                    }
                  }
                }
                """.formatted(dir, port, healthPort, TOKEN, http2 ? " http2" : ""));
        Files.createDirectories(dir.resolve("tmp"));
        return Launched.start("upstream-nginx", List.of("nginx", "-p", dir.toString(), "-c", conf.toString()),
                healthPort, "/healthz", dir);
    }

    String url() {
        return "https://127.0.0.1:" + port;
    }

    static String podProxyPath(String pod) {
        return "/api/v1/namespaces/bench/pods/" + pod + ":9100/proxy/metrics";
    }
}
