package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.transport.Transport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A burst beyond a cluster's concurrent-scrape limit and queue gets 503 with Retry-After; the rest is served. */
class AdmissionBurstTest {
    @Test
    void aBurstIsAdmittedQueuedOrRefused(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(5, 0, true)) { // faults/slow-0 answers after 3 s
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), """
                    kubeconfigs: [{path: %s, contexts: [kube-sim]}]
                    cluster_defaults:
                      upstream: {max_concurrent_scrapes: 2, max_queued_scrapes: 1}
                      scrape: {share_buffer: 0}  # else the identical scrapes below would share one request
                    """.formatted(sim.writeKubeconfig(dir.resolve("kubeconfig"))));
            try (ProxyServer server = new ProxyServer(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"),
                    Transport.detect(true))) {
                String url = "http://127.0.0.1:" + server.start().getPort() + "/clusters/kube-sim/ns/";
                List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    burst.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return Harness.get(url + "faults/pods/slow-0/metrics",
                                    "X-Prometheus-Scrape-Timeout-Seconds", "10");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();
                List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 503).toList();
                assertThat(answers.stream().filter(r -> r.statusCode() == 200)).as("2 running + 1 queued").hasSize(3);
                assertThat(refused).hasSize(5);
                refused.forEach(r -> {
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(r.body()).startsWith("kubescrape: ").contains("max_concurrent_scrapes");
                });
                assertThat(Harness.get(url + "default/pods/web-0/metrics").statusCode()).as("then all is well")
                        .isEqualTo(200);
                assertThat(server.metrics().registry().find("kubescrape.scrape.duration")
                        .tags("outcome", "admission_rejected").timer().count()).isEqualTo(5);
            }
        }
    }
}
