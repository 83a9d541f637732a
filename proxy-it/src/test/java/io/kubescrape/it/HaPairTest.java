package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.bench.Launched;
import io.kubescrape.sim.KubeSimServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three kubescrape replicas behind the real haproxy, balancing by URI hash ({@code balance uri}, {@code hash-type
 * consistent}), as docs/operations.md recommends: an HA pair's two scrapes of a pod reach the same replica, so they
 * still share one upstream request (here through a 2 s share window), and a replica that leaves moves only the pods
 * it served.
 */
class HaPairTest {
    private static final String REPLICA = "X-Kubescrape-Replica";

    @Test
    void anHaPairStillSharesAndALeavingReplicaMovesOnlyItsShare(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(30, 0, false)) {
            Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig
                    + "}]\ncluster_defaults: {scrape: {share_window: 2s}, discovery: {enabled: false}}\n");
            Harness.Running[] replicas = {Harness.startWithConfig(cfg), Harness.startWithConfig(cfg),
                Harness.startWithConfig(cfg)};
            Launched[] haproxy = new Launched[1];
            try {
                haproxy[0] = haproxy(dir, replicas);
                String front = haproxy[0].url();
                List<String> pods = sim.podKeys().stream().filter(k -> k.startsWith("default/")).toList();
                long before = total(sim.scrapes());
                Map<String, String> servedBy = new HashMap<>();
                for (String pod : pods) { // replica A of the pair, then replica B, each once
                    HttpResponse<String> a = Harness.get(url(front, pod));
                    HttpResponse<String> b = Harness.get(url(front, pod));
                    assertThat(a.statusCode()).isEqualTo(200);
                    assertThat(b.body()).isEqualTo(a.body());
                    assertThat(replica(b)).isEqualTo(replica(a));
                    servedBy.put(pod, replica(a));
                }
                double perScrape = (total(sim.scrapes()) - before) / (2.0 * pods.size());
                assertThat(perScrape).isEqualTo(0.5); // one upstream request for the pair's two scrapes
                assertThat(servedBy.values()).contains("r1", "r2", "r3"); // the hash spreads pods over all three

                replicas[2].close(); // r3 leaves
                // Until haproxy's health check has seen it go, a request may still be sent its way and wait or fail:
                // asked with a short timeout, that is "not yet".
                Harness.awaitWithin(20_000, () -> {
                    for (String pod : pods) {
                        if (servedBy.get(pod).equals("r3") && !movedOff(front, pod)) {
                            return false;
                        }
                    }
                    return true;
                });
                for (String pod : pods) {
                    HttpResponse<String> now = Harness.get(url(front, pod));
                    assertThat(now.statusCode()).isEqualTo(200);
                    if (servedBy.get(pod).equals("r3")) {
                        assertThat(replica(now)).isIn("r1", "r2");
                    } else {
                        assertThat(replica(now)).as(pod + " stays where it was").isEqualTo(servedBy.get(pod));
                    }
                }
            } finally {
                Harness.closeAll(() -> {
                    if (haproxy[0] != null) {
                        haproxy[0].close();
                    }
                }, replicas[0], replicas[1], replicas[2]);
            }
        }
    }

    private static String url(String front, String podKey) {
        String[] nsName = podKey.split("/");
        return front + "/clusters/kube-sim/ns/" + nsName[0] + "/pods/" + nsName[1] + "/metrics";
    }

    private static boolean movedOff(String front, String pod) {
        try {
            HttpResponse<String> r = Harness.CLIENT.send(HttpRequest.newBuilder(URI.create(url(front, pod)))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && !replica(r).equals("r3");
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }

    private static String replica(HttpResponse<String> r) {
        return r.headers().firstValue(REPLICA).orElse("none");
    }

    private static long total(Map<String, Long> scrapes) {
        return scrapes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** haproxy as the docs configure it: URI hash, consistent, a quick health check, the replica named back. */
    private static Launched haproxy(Path dir, Harness.Running[] replicas) throws Exception {
        int port = Launched.freePort();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < replicas.length; i++) {
            servers.append("  server r").append(i + 1).append(' ').append(URI.create(replicas[i].url()).getAuthority())
                    .append(" check inter 200ms fall 1 rise 2\n");
        }
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                  maxconn 256
                defaults
                  mode http
                  timeout connect 2s
                  retries 2
                  option redispatch
                  timeout client 30s
                  timeout server 30s
                frontend scrapes
                  bind 127.0.0.1:%d
                  default_backend kubescrape
                backend kubescrape
                  balance uri
                  hash-type consistent
                  http-response set-header %s %%s
                %s""".formatted(port, REPLICA, servers));
        return Launched.start("haproxy", List.of("haproxy", "-db", "-f", conf.toString()), port, "/-/healthy", dir);
    }
}
