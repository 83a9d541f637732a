package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
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
 * {@code upstream.protocol: http2} end to end: scrapes and the watch as streams over a few connections to the
 * simulated API server (which, like a real one, agrees to h2 in ALPN), and a clear 502 from a server that does
 * not speak HTTP/2.
 */
class Http2UpstreamTest {
    @TempDir
    Path dir;
    private KubeSimServer sim;
    private Harness.Running kubescrape;

    @AfterEach
    void stop() throws Exception {
        Harness.closeAll(kubescrape, sim);
    }

    private Harness.Running startHttp2(String server, String caPem, String token) throws Exception {
        return start(server, caPem, token, "http2");
    }

    private Harness.Running start(String server, String caPem, String token, String protocol) throws Exception {
        Path kubeconfig = new Kubeconfigs().context("c", server, caPem, Kubeconfigs.token(token))
                .write(dir.resolve("kubeconfig"));
        return Harness.startWithConfig(Files.writeString(dir.resolve("kubescrape.yaml"),
                "kubeconfigs: [{path: " + kubeconfig + "}]\n"
                        // The default stream limit (1000, kube-apiserver's own) has room for all 200 scrapes and the
                        // watch on one connection per loop: no setting needed for the connection goal.
                        + "cluster_defaults: {upstream: {protocol: " + protocol + "}}\n"));
    }

    @Test
    void twoHundredConcurrentScrapesAndTheWatchShareAFewConnections() throws Exception {
        sim = Sims.start(20, 0, false);
        kubescrape = startHttp2(sim.url(), sim.caPem(), Sims.TOKEN);
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/-/ready").statusCode() == 200);
        List<String> pods = sim.podKeys();
        List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String[] key = pods.get(i % pods.size()).split("/");
            scrapes.add(Harness.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(kubescrape.url() + "/clusters/c/ns/"
                    + key[0] + "/pods/" + key[1] + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : scrapes) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).hasSizeGreaterThanOrEqualTo(2048);
        }
        int loops = Runtime.getRuntime().availableProcessors();
        assertThat(sim.openConnections()).as("one HTTP/2 connection per event loop at most").isLessThanOrEqualTo(loops);
        String m = MetricsText.of(kubescrape.url());
        assertThat(MetricsText.sum(m, "kubescrape_upstream_tls_handshakes_total", "result", "success"))
                .isLessThanOrEqualTo(loops);
        // Back to idle: the watch is the one stream left open, at both ends.
        IdleState.await(kubescrape.url(), sim, 1, -1);
        assertThat(sim.openStreams()).isEqualTo(1);
    }

    @Test
    void autoTakesHttp2FromAnApiServerThatOffersIt() throws Exception {
        sim = Sims.start(4, 0, false);
        kubescrape = start(sim.url(), sim.caPem(), Sims.TOKEN, "auto");
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/-/ready").statusCode() == 200);
        String[] key = sim.podKeys().get(0).split("/");
        HttpResponse<String> r = Harness.get(kubescrape.url() + "/clusters/c/ns/" + key[0] + "/pods/" + key[1]
                + "/metrics");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // The watch is an HTTP/2 stream: the pools took the protocol the server picked for the probe.
        IdleState.await(kubescrape.url(), sim, 1, -1);
        assertThat(sim.openStreams()).isEqualTo(1);
    }

    @Test
    void autoTakesHttp11FromAnApiServerWithoutHttp2() throws Exception {
        try (StreamingApiServer api = new StreamingApiServer(http1Only(), "t", 2048)) {
            kubescrape = start(api.url(), H1_PKI.caPem(), "t", "auto");
            HttpResponse<String> r = Harness.get(kubescrape.url() + "/clusters/c/ns/default/pods/web-0/metrics");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).hasSize(2048);
        }
    }

    private static final TestPki H1_PKI = new TestPki("h1-only-ca");

    /** A server certificate of {@link #H1_PKI} and no ALPN: HTTP/1.1 only, as a plain proxy in front might be. */
    private static SslContext http1Only() throws Exception {
        TestPki.Issued cert = H1_PKI.server(TestPki.KeyType.EC);
        return SslContextBuilder.forServer(cert.key(), cert.certificate())
                .trustManager(H1_PKI.ca().certificate()).clientAuth(ClientAuth.OPTIONAL).build();
    }

    @Test
    void aServerWithoutHttp2IsAClear502NamingTheSetting() throws Exception {
        TestPki pki = H1_PKI;
        var http1Only = http1Only();
        try (StreamingApiServer api = new StreamingApiServer(http1Only, "t", 2048)) {
            kubescrape = startHttp2(api.url(), pki.caPem(), "t");
            long t0 = System.nanoTime();
            HttpResponse<String> r = Harness.get(kubescrape.url() + "/clusters/c/ns/default/pods/web-0/metrics");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("does not speak HTTP/2").contains("protocol: http1");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("fails at once, no reconnect loop").isLessThan(2000);
        }
    }
}
