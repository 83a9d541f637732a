package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault matrix against one kube-sim: for each fault, what the scraper sees, what the API server saw, and that
 * kubescrape's pools and the JVM's buffers are back to idle afterwards. Each fault is injected once to warm what
 * it touches (the simulator caches a body per pod), then three more times; the count of live buffers after the
 * repeats must equal the count after the first, so nothing a fault touches is left behind.
 */
class FaultMatrixTest {
    private static final String TIMEOUT = "X-Prometheus-Scrape-Timeout-Seconds";
    private static final int BODY = 8 * 1024 * 1024;
    /** Regular pods serve 8 MB bodies (for the caller that leaves mid-stream); slow-0 hangs for a minute. */
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.with(new SimOptions("127.0.0.1", 0, 25,
            List.of("default"), BODY, null, 0, Sims.TOKEN, null, List.of(), null, 60_000, true));
    private static Harness.Running kubescrape;

    @BeforeAll
    static void start() throws Exception {
        KubeSimServer sim = SIM.server();
        TestPki stranger = new TestPki("some-other-ca");
        Path kubeconfig = new Kubeconfigs()
                .context("kube-sim", sim.url(), sim.caPem(), Kubeconfigs.token(Sims.TOKEN))
                .context("wrong-ca", sim.url(), stranger.caPem(), Kubeconfigs.token(Sims.TOKEN))
                .write(SIM.dir().resolve("kubescrape.kubeconfig"));
        kubescrape = Harness.startWithoutDiscovery(kubeconfig);
        assertThat(scrape("default", "web-0").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        Harness.closeAll(kubescrape);
    }

    private static String url(String cluster, String ns, String pod) {
        return kubescrape.url() + "/clusters/" + cluster + "/ns/" + ns + "/pods/" + pod + "/metrics";
    }

    private static HttpResponse<byte[]> scrape(String ns, String pod) throws Exception {
        return Harness.getBytes(url("kube-sim", ns, pod), TIMEOUT, "2");
    }

    private static double outcomes(String cluster, String outcome) throws Exception {
        return MetricsText.sum(MetricsText.of(kubescrape.url()), "kubescrape_scrape_duration_seconds_count",
                "cluster", cluster, "outcome", outcome);
    }

    /** Injects the fault once, waits for idle, then three more times: the buffer count must not grow. */
    private static void repeatedly(Fault fault) throws Exception {
        fault.inject();
        long buffers = IdleState.await(kubescrape.url(), SIM.server(), 0, -1).buffers();
        for (int i = 0; i < 3; i++) {
            fault.inject();
        }
        IdleState.await(kubescrape.url(), SIM.server(), 0, buffers);
        assertThat(scrape("default", "web-1").body()).as("a regular scrape afterwards").hasSizeGreaterThanOrEqualTo(BODY);
        IdleState.await(kubescrape.url(), SIM.server(), 0, -1);
    }

    /** As {@link #repeatedly(Fault)}, and each of the four injections counted under kubescrape's outcome tag. */
    private static void repeatedly(String cluster, String outcome, Fault fault) throws Exception {
        double before = outcomes(cluster, outcome);
        repeatedly(fault);
        assertThat(outcomes(cluster, outcome) - before).as("scrapes counted as " + outcome).isEqualTo(4);
    }

    interface Fault {
        void inject() throws Exception;
    }

    @Test
    void aPodResettingMidBodyFailsTheScrapeAndItsConnectionIsDiscarded() throws Exception {
        for (String pod : List.of("reset-length-0", "reset-chunked-0")) {
            long scrapesBefore = SIM.server().scrapes().getOrDefault("faults/" + pod, 0L);
            repeatedly("kube-sim", "truncated", () -> assertThatThrownBy(() -> scrape("faults", pod))
                    .as(pod + " never arrives complete").isInstanceOf(IOException.class));
            assertThat(SIM.server().scrapes().get("faults/" + pod) - scrapesBefore).as("the pod was asked once a scrape: no retry")
                    .isEqualTo(4);
        }
    }

    @Test
    void aHungPodTimesOutWith504AndItsConnectionIsClosedNotPooled() throws Exception {
        repeatedly("kube-sim", "timeout", () -> {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = scrape("faults", "slow-0");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(ms).as("answered at the scrape timeout less its margin").isBetween(1500L, 3000L);
        });
        // IdleState has checked the API server holds no connection beyond the pooled idle ones: the hung ones closed.
    }

    @Test
    void aCallerLeavingMidStreamClosesTheUpstreamPromptly() throws Exception {
        repeatedly("kube-sim", "downstream_closed", () -> {
            // What carries the scrape at the API server: its connection (HTTP/1.1) or its stream (HTTP/2). When
            // the caller leaves, that one must close: connections plus streams drop by one.
            long during;
            try (Socket s = new Socket("127.0.0.1", URI.create(kubescrape.url()).getPort())) {
                OutputStream out = s.getOutputStream();
                out.write(("GET /clusters/kube-sim/ns/default/pods/web-2/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                long got = 0;
                while (got < 256 * 1024) {
                    got += Math.max(0, in.read(buf));
                }
                during = SIM.server().openConnections() + SIM.server().openStreams();
            }
            long t0 = System.nanoTime();
            while (SIM.server().openConnections() + SIM.server().openStreams() >= during && System.nanoTime() - t0 < 2_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(SIM.server().openConnections() + SIM.server().openStreams())
                    .as("the API server saw the mid-body connection or stream closed within 2 s")
                    .isLessThanOrEqualTo((int) during - 1);
        });
    }

    @Test
    void anIdlePooledConnectionClosedByTheServerIsReplacedUnnoticed() throws Exception {
        repeatedly(() -> {
            assertThat(scrape("default", "web-3").statusCode()).isEqualTo(200);
            long accepted = SIM.server().acceptedConnections();
            SIM.server().closeAllConnections();
            assertThat(scrape("default", "web-3").statusCode()).isEqualTo(200);
            assertThat(SIM.server().acceptedConnections()).as("a fresh connection").isGreaterThan(accepted);
        });
    }

    @Test
    void aServerClosingInsteadOfAnsweringIsRetriedOnceOnAFreshConnection() throws Exception {
        repeatedly(() -> {
            long dropped = SIM.server().droppedProxyRequests();
            long scrapes = SIM.server().scrapes().getOrDefault("default/web-4", 0L);
            SIM.server().dropNextProxyRequests(1);
            HttpResponse<byte[]> r = scrape("default", "web-4");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).hasSizeGreaterThanOrEqualTo(BODY);
            assertThat(SIM.server().droppedProxyRequests() - dropped).as("the first try was dropped").isEqualTo(1);
            assertThat(SIM.server().scrapes().get("default/web-4") - scrapes).as("the retry reached the pod").isEqualTo(1);
        });
        SIM.server().dropNextProxyRequests(2);
        assertThat(scrape("default", "web-4").statusCode()).as("but only once: two drops fail the scrape")
                .isEqualTo(502);
        IdleState.await(kubescrape.url(), SIM.server(), 0, -1);
    }

    @Test
    void aTlsHandshakeFailureIsAClear502CountedByReason() throws Exception {
        repeatedly("wrong-ca", "upstream_tls", () -> {
            HttpResponse<String> r = Harness.get(url("wrong-ca", "default", "web-0"), TIMEOUT, "2");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("TLS");
        });
    }

    @Test
    void rejectedCredentialsAreAClear502CountedByReason() throws Exception {
        repeatedly("kube-sim", "upstream_unauthorized", () -> {
            SIM.server().acceptTokens(t -> false);
            try {
                HttpResponse<String> r = Harness.get(url("kube-sim", "default", "web-0"), TIMEOUT, "2");
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.body()).contains("401").doesNotContain(Sims.TOKEN);
            } finally {
                SIM.server().acceptTokens(Sims.TOKEN::equals);
            }
        });
    }
}
