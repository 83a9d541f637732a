package io.kubescrape.bench;

import io.kubescrape.testing.Kubeconfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way to reach the upstream's pods, configured as a user would for this job (pooled keep-alive connections,
 * TLS session reuse): straight to the upstream, kubescrape, nginx or haproxy as reverse proxies, or
 * {@code kubectl proxy}. {@code process} is null for "direct".
 */
record Contender(String name, Launched process, String baseUrl, String pathPrefix, String pathSuffix,
                 Map<String, String> headers) implements AutoCloseable {

    static final List<String> ALL = List.of("direct", "kubescrape", "kubescrape-http2", "kubescrape-epoll", "nginx",
            "haproxy", "kubectl-proxy");
    /** Only when named: kubescrape with sharing off, to see what sharing costs; with a 2 s share window. */
    static final List<String> ON_REQUEST = List.of("kubescrape-unshared", "kubescrape-window", "kubescrape-g1");
    /**
     * JVM flags for kubescrape in the benchmark: those docs/operations.md recommends (since 2026-12-06: the serial
     * collector and a small young generation, G1's own structures having been 42 MB of RSS; and the native heap
     * trimmed every 5 s, which gives back what the JIT compilers and TLS freed).
     */
    static final List<String> KUBESCRAPE_JVM = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn20m", "-Xmx256m",
            "-XX:MaxDirectMemorySize=256m", "-XX:TrimNativeHeapInterval=5000");
    /** The flags recommended before 2026-12-06, for kubescrape-g1. */
    static final List<String> G1_JVM = List.of("-Xms128m", "-Xmx256m", "-XX:MaxDirectMemorySize=256m");

    String path(String pod) {
        return pathPrefix + pod + pathSuffix;
    }

    /** The paths of every pod serving the body of {@code size}, for a load to cycle through. */
    List<String> paths(String size) {
        return BenchUpstream.podsFor(size).stream().map(this::path).toList();
    }

    /** Upstream requests kubescrape spared so far (0 for every other contender: none shares). */
    double savedRequests() throws IOException, InterruptedException {
        return process == null || !name.startsWith("kubescrape") ? 0
                : Exposition.sum(process.get("/metrics").body(), "kubescrape_upstream_requests_saved_total");
    }

    static Contender start(String name, BenchUpstream up, Path jar, List<String> jvmFlags, Path dir) throws Exception {
        Path own = Files.createDirectories(dir.resolve(name));
        return switch (name) {
            case "direct" -> new Contender(name, null, up.url(), "/api/v1/namespaces/bench/pods/", ":9100/proxy/metrics",
                    Map.of("Authorization", "Bearer " + BenchUpstream.TOKEN));
            case "kubescrape" -> kubescrape(name, up, jar, jvmFlags, own, "", List.of());
            case "kubescrape-http2" -> kubescrape(name, up, jar, jvmFlags, own, ", upstream: {protocol: http2}",
                    List.of());
            case "kubescrape-unshared" -> kubescrape(name, up, jar, jvmFlags, own, ", scrape: {share_buffer: 0}",
                    List.of());
            case "kubescrape-g1" -> kubescrape(name, up, jar, G1_JVM, jvmFlags, own, "", List.of());
            case "kubescrape-window" -> kubescrape(name, up, jar, jvmFlags, own, ", scrape: {share_window: 2s}",
                    List.of());
            case "kubescrape-epoll" -> kubescrape(name, up, jar, jvmFlags, own, "", List.of("--transport", "epoll"));
            case "nginx" -> nginx(up, own);
            case "haproxy" -> haproxy(up, own);
            case "kubectl-proxy" -> kubectl(up, own);
            default -> throw new IllegalArgumentException("unknown contender " + name + "; known: " + ALL + " and "
                    + ON_REQUEST);
        };
    }

    private static Path kubeconfig(BenchUpstream up, Path dir) throws IOException {
        return new Kubeconfigs().context("bench", up.url(), up.pki.caPem(), Kubeconfigs.token(BenchUpstream.TOKEN))
                .write(dir.resolve("kubeconfig"));
    }

    private static Contender scrapeUrls(String name, Launched l) {
        return new Contender(name, l, l.url(), "/clusters/bench/ns/bench/pods/", "/metrics", Map.of());
    }

    /**
     * kubescrape with its defaults (HTTP/1.1 upstream, io_uring), or with {@code extra} cluster defaults (HTTP/2)
     * or extra command-line {@code args} (another transport).
     */
    private static Contender kubescrape(String name, BenchUpstream up, Path jar, List<String> jvmFlags, Path dir,
                                        String extra, List<String> args) throws Exception {
        return kubescrape(name, up, jar, KUBESCRAPE_JVM, jvmFlags, dir, extra, args);
    }

    private static Contender kubescrape(String name, BenchUpstream up, Path jar, List<String> baseJvm,
                                        List<String> jvmFlags, Path dir, String extra, List<String> args)
            throws Exception {
        Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig(up, dir)
                + "}]\ncluster_defaults: {discovery: {enabled: false}" + extra + "}\n");
        List<String> jvm = new ArrayList<>(baseJvm);
        jvm.addAll(jvmFlags);
        List<String> cli = new ArrayList<>(List.of("--config", cfg.toString()));
        cli.addAll(args);
        return scrapeUrls(name, Launched.kubescrape(jar, jvm, cli, dir));
    }

    private static Contender nginx(BenchUpstream up, Path dir) throws Exception {
        int port = Launched.freePort();
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp;
                  proxy_temp_path %1$s/tmp;
                  upstream apiserver {
                    server 127.0.0.1:%2$d;
                    keepalive 128;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    keepalive_requests 10000000;
                    location = /healthz { return 200 "ok\\n"; }
                    location ~ "^/clusters/bench/ns/([a-z0-9-]+)/pods/([a-z0-9-]+)/metrics$" {
                      proxy_pass https://apiserver/api/v1/namespaces/$1/pods/$2:9100/proxy/metrics;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Authorization "Bearer %4$s";
                      proxy_ssl_session_reuse on;
                      proxy_ssl_verify on;
                      proxy_ssl_trusted_certificate %5$s;
                      proxy_ssl_name localhost;
                    }
                  }
                }
                """.formatted(dir, up.port, port, BenchUpstream.TOKEN, up.caFile));
        return scrapeUrls("nginx", Launched.start("nginx", List.of("nginx", "-p", dir.toString(), "-c",
                conf.toString()), port, "/healthz", dir));
    }

    private static Contender haproxy(BenchUpstream up, Path dir) throws Exception {
        int port = Launched.freePort();
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                  maxconn 4096
                  nbthread 2
                defaults
                  mode http
                  timeout connect 5s
                  timeout client 60s
                  timeout server 60s
                  http-reuse always
                frontend scrapes
                  bind 127.0.0.1:%1$d
                  http-request return status 200 content-type text/plain string ok if { path /healthz }
                  http-request replace-path ^/clusters/bench/ns/([a-z0-9-]+)/pods/([a-z0-9-]+)/metrics$ /api/v1/namespaces/\\1/pods/\\2:9100/proxy/metrics
                  default_backend apiserver
                backend apiserver
                  http-request set-header Authorization "Bearer %2$s"
                  server api 127.0.0.1:%3$d ssl verify required ca-file %4$s sni str(localhost) verifyhost localhost
                """.formatted(port, BenchUpstream.TOKEN, up.port, up.caFile));
        return scrapeUrls("haproxy", Launched.start("haproxy", List.of("haproxy", "-db", "-f", conf.toString()), port,
                "/healthz", dir));
    }

    private static Contender kubectl(BenchUpstream up, Path dir) throws Exception {
        int port = Launched.freePort();
        List<String> cmd = new ArrayList<>(List.of("kubectl", "proxy", "--port=" + port, "--address=127.0.0.1",
                "--kubeconfig=" + kubeconfig(up, dir), "--context=bench"));
        Launched l = Launched.start("kubectl-proxy", cmd, port, "/version", dir);
        return new Contender("kubectl-proxy", l, l.url(), "/api/v1/namespaces/bench/pods/", ":9100/proxy/metrics",
                Map.of());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
