package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server goes down mid-run and comes back on the same address: scrapes fail fast with 502 (no queue
 * builds up), the circuit breaker opens after repeated connect failures and closes again by itself, discovery
 * keeps the last targets throughout, and everything recovers without a restart, back to idle.
 */
class ApiServerOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private KubeSimServer sim;
    private Harness.Running kubescrape;

    private KubeSimServer startSim(int port) throws Exception {
        return new KubeSimServer(new SimOptions("127.0.0.1", port, 10, List.of("default"), 2048, null, 0,
                Sims.TOKEN, dir.resolve("ca"), List.of(), null, 1000, false));
    }

    @AfterEach
    void stop() throws Exception {
        Harness.closeAll(kubescrape, sim);
    }

    private String metrics() throws Exception {
        return MetricsText.of(kubescrape.url());
    }

    private int targets() throws Exception {
        return JSON.readTree(Harness.get(kubescrape.url() + "/sd").body()).size();
    }

    private HttpResponse<String> scrape() throws Exception {
        return Harness.get(kubescrape.url() + "/clusters/kube-sim/ns/default/pods/web-0/metrics",
                "X-Prometheus-Scrape-Timeout-Seconds", "5");
    }

    @Test
    void scrapesFailFastWhileItIsDownAndEverythingRecoversWhenItIsBack() throws Exception {
        sim = startSim(0);
        int port = URI.create(sim.url()).getPort();
        Path kubeconfig = new Kubeconfigs().context("kube-sim", sim.url(), sim.caPem(), Kubeconfigs.token(Sims.TOKEN))
                .write(dir.resolve("kubeconfig"));
        Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig + "}]\n"
                + "cluster_defaults: {discovery: {stall_timeout: 5s}}\n");
        kubescrape = Harness.startWithConfig(cfg);
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/-/ready").statusCode() == 200);
        assertThat(scrape().statusCode()).isEqualTo(200);
        int before = targets();
        assertThat(before).isEqualTo(8); // 10 pods, cache-* carry no scrape annotation

        sim.close();
        sim = null;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = scrape();
            assertThat(r.statusCode()).as("scrape %d during the outage: %s", i, r.body()).isEqualTo(502);
            assertThat(r.body()).contains("connect");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("a refused connect fails at once").isLessThan(1000);
        }
        Harness.awaitWithin(5_000, () -> MetricsText.sum(metrics(), "kubescrape_upstream_circuit_open") == 1);
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(Harness.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(kubescrape.url()
                    + "/clusters/kube-sim/ns/default/pods/api-0/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : burst) {
            assertThat(f.get().statusCode()).isEqualTo(502);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("50 scrapes with the circuit open: no pile-up")
                .isLessThan(2000);
        String m = metrics();
        assertThat(MetricsText.sum(m, "kubescrape_upstream_pending_acquires")).isZero();
        assertThat(MetricsText.sum(m, "kubescrape_scrapes_in_flight")).isZero();
        assertThat(targets()).as("discovery keeps the last targets").isEqualTo(before);

        sim = startSim(port);
        Harness.awaitWithin(15_000, () -> scrape().statusCode() == 200);
        Harness.awaitWithin(5_000, () -> MetricsText.sum(metrics(), "kubescrape_upstream_circuit_open") == 0);
        // The pod store is confirmed current again (relisted; the watch is back as one busy connection).
        Harness.awaitWithin(15_000, () -> MetricsText.sum(metrics(), "kubescrape_discovery_staleness_seconds") < 1);
        assertThat(targets()).isEqualTo(before);
        IdleState.await(kubescrape.url(), sim, 1, -1);
    }
}
