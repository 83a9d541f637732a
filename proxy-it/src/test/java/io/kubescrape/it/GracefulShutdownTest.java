package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM: new connections are refused at once, a scrape under way finishes, the process exits 0. */
class GracefulShutdownTest {
    @Test
    void aScrapeUnderWayFinishesAfterSigterm(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(5, 0, true)) { // faults/slow-0 answers after 3 s
            Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
            KubescrapeProcess ks = new KubescrapeProcess(List.of(), "--kubeconfig", kubeconfig.toString(),
                    "--listen", "127.0.0.1:0", "--shutdown-grace", "10s");
            String slow = ks.url() + "/clusters/kube-sim/ns/faults/pods/slow-0/metrics";
            CompletableFuture<HttpResponse<String>> underWay = CompletableFuture.supplyAsync(() -> {
                try {
                    return Harness.get(slow, "X-Prometheus-Scrape-Timeout-Seconds", "10");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(700); // the scrape is waiting for the slow pod
            long t0 = System.nanoTime();
            int exit;
            CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return ks.stop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            Throwable refused = Assertions.catchThrowable(() -> Harness.get(ks.url() + "/-/healthy"));
            assertThat(refused).as("no new connections once stopping").isInstanceOf(ConnectException.class);
            HttpResponse<String> r = underWay.join();
            assertThat(r.statusCode()).as("the scrape under way completed").isEqualTo(200);
            assertThat(r.body()).contains("sim_pod_info");
            exit = stopped.join();
            assertThat(exit).isZero();
            assertThat(ks.log()).anyMatch(l -> l.contains("INFO") && l.contains("stopped"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("it waited for the scrape, not the whole grace")
                    .isLessThan(8000);
        }
    }
}
