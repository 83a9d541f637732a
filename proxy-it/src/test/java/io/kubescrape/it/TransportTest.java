package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import io.kubescrape.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transport kubescrape may pick scrapes alike: bodies whole, keep-alive both ways, one pooled TLS connection
 * upstream, and a reset upstream ends the scrape at once. The rest of the suite runs on the default (io_uring
 * where the kernel allows it); this keeps epoll (where io_uring is refused) and NIO (off Linux) exercised too.
 */
class TransportTest {
    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void scrapesOverEachTransport(String name, @TempDir Path dir) throws Exception {
        Transport transport = Transport.choose(name); // all three run on the CI machine; elsewhere this says why not
        TestPki pki = new TestPki("transport-ca");
        try (StreamingApiServer api = new StreamingApiServer(Harness.serverTls(pki), "t", 300_000)) {
            Path kubeconfig = new Kubeconfigs().context("c", api.url(), pki.caPem(), Kubeconfigs.token("t"))
                    .write(dir.resolve("kubeconfig"));
            try (Harness.Running ks = Harness.startWithoutDiscovery(kubeconfig, transport)) {
                for (int i = 0; i < 30; i++) {
                    var r = Harness.get(ks.url() + "/clusters/c/ns/default/pods/web-0/metrics");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).hasSize(300_000);
                }
                assertThat(api.connections.get()).as("one pooled upstream connection").isEqualTo(1);
                assertThat(api.proxyGets.get()).isEqualTo(30);
            }
        }
    }

    /**
     * A pod whose connection is reset mid-body, while kubescrape has paused reading it (an 8 MB body outruns the
     * caller): the scrape ends at once as truncated, not at its timeout. On io_uring this needs one-shot polls.
     */
    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void aResetMidBodyEndsTheScrapeAtOnceOverEachTransport(String name, @TempDir Path dir) throws Exception {
        Transport transport = Transport.choose(name);
        try (KubeSimServer sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, 1, List.of("default"),
                8 * 1024 * 1024, null, 0, Sims.TOKEN, null, List.of(), null, 60_000, true))) {
            Path kubeconfig = new Kubeconfigs().context("c", sim.url(), sim.caPem(), Kubeconfigs.token(Sims.TOKEN))
                    .write(dir.resolve("kubeconfig"));
            try (Harness.Running ks = Harness.startWithoutDiscovery(kubeconfig, transport)) {
                String url = ks.url() + "/clusters/c/ns/faults/pods/reset-length-0/metrics";
                long start = System.nanoTime();
                assertThatThrownBy(() -> Harness.getBytes(url, "X-Prometheus-Scrape-Timeout-Seconds", "20"))
                        .isInstanceOf(IOException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the reset, not the 20 s timeout")
                        .isLessThan(Duration.ofSeconds(10));
                Harness.awaitWithin(5_000, () -> MetricsText.sum(MetricsText.of(ks.url()),
                        "kubescrape_scrape_duration_seconds_count", "cluster", "c", "outcome", "truncated") == 1);
            }
        }
    }
}
