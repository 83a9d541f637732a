package io.kubescrape.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.kubescrape.testing.Fixtures;
import io.kubescrape.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identical scrapes sharing upstream requests, through kubescrape against WireMock playing the API server: scrapes
 * in flight together become one upstream request, a late joiner gets the body from its first byte, a broken body
 * fails every sharer as it fails one, and the share window halves an HA pair's requests without ever serving an
 * answer older than the window.
 */
class SharedScrapesTest {
    private static final TestPki PKI = new TestPki("shared-scrapes-ca");
    private static final String METRICS = new String(Fixtures.bytes("small-2k.prom"), StandardCharsets.UTF_8);
    private static final String BIG = new String(Fixtures.bytes("node-exporter-1.5.0.prom"), StandardCharsets.UTF_8);
    private static final String PROXY = "/api/v1/namespaces/default/pods/%s:9100/proxy/metrics";
    private static final int BIG_BODY = 24 << 20;
    private static WireMockServer api;
    private static Harness.Running kubescrape;
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        api = new WireMockServer(WireMockApiServerTest.tls(PKI.server(TestPki.KeyType.RSA)
                .writeKeyStore(dir.resolve("server.p12"))));
        api.start();
        String pod = new String(Fixtures.bytes("k8s/pod.json"), StandardCharsets.UTF_8);
        for (String name : List.of("slow-0", "slow-1", "slow-2", "dribble-0", "cut-0", "cut-1", "ha-0", "ha-1",
                "ha-2", "ha-3", "ha-4", "ha-5", "ha-6", "ha-7", "ha-8", "ha-9", "slow-3", "big-0")) {
            api.stubFor(get(urlEqualTo("/api/v1/namespaces/default/pods/" + name)).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody(pod.replace("web-0", name))));
        }
        api.stubFor(get(urlEqualTo(PROXY.formatted("big-0"))).willReturn(aResponse().withFixedDelay(300)
                .withHeader("Content-Type", "text/plain; version=0.0.4").withBody(new byte[BIG_BODY])));
        for (String slow : List.of("slow-0", "slow-1", "slow-2", "slow-3")) {
            api.stubFor(get(urlEqualTo(PROXY.formatted(slow))).willReturn(aResponse().withFixedDelay(1500)
                    .withHeader("Content-Type", "text/plain; version=0.0.4").withBody(METRICS)));
        }
        api.stubFor(get(urlEqualTo(PROXY.formatted("dribble-0"))).willReturn(aResponse()
                .withHeader("Content-Type", "text/plain; version=0.0.4").withBody(BIG)
                .withChunkedDribbleDelay(40, 2000)));
        for (String cut : List.of("cut-0", "cut-1")) {
            api.stubFor(get(urlEqualTo(PROXY.formatted(cut))).willReturn(aResponse().withFixedDelay(1000)
                    .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        }
        for (int i = 0; i < 10; i++) {
            api.stubFor(get(urlEqualTo(PROXY.formatted("ha-" + i))).willReturn(aResponse()
                    .withHeader("Content-Type", "text/plain; version=0.0.4").withBody(METRICS)));
        }
        api.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withFixedDelay(800)
                .withHeader("Content-Type", "text/plain; version=0.0.4").withHeader("Audit-Id", "a1b2c3")
                .withBody(METRICS)));
        Path ca = Files.writeString(dir.resolve("ca.pem"), PKI.caPem());
        String server = "server: 'https://127.0.0.1:" + api.httpsPort() + "', certificate_authority: " + ca
                + ", token: t";
        kubescrape = Harness.startWithConfig(Files.writeString(dir.resolve("kubescrape.yaml"), """
                cluster_defaults: {discovery: {enabled: false}}
                clusters:
                - {name: plain, %1$s}
                - {name: windowed, %1$s, scrape: {share_window: 2s}}
                - {name: alone, %1$s, scrape: {share_buffer: 0}}
                """.formatted(server)));
    }

    @AfterAll
    static void stop() throws Exception {
        CALLERS.shutdownNow();
        Harness.closeAll(kubescrape, api::stop);
    }

    private static String url(String cluster, String pod) {
        return kubescrape.url() + "/clusters/" + cluster + "/ns/default/pods/" + pod + "/metrics";
    }

    private static int upstreamRequests(String pod) {
        return api.findAll(getRequestedFor(urlEqualTo(PROXY.formatted(pod)))).size();
    }

    /** {@code n} callers at once; each result is the status and body, or the exception's class. */
    private static List<String> together(int n, String url, String... headers) throws Exception {
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(CALLERS.submit(() -> {
                try {
                    HttpResponse<String> r = Harness.get(url, headers);
                    return r.statusCode() + " " + r.headers().firstValue("X-Kubescrape-Outcome").orElse("") + " "
                            + r.body();
                } catch (IOException e) {
                    return e.getClass().getSimpleName();
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> f : calls) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void identicalScrapesInFlightTogetherAreOneUpstreamRequest() throws Exception {
        List<String> results = together(6, url("plain", "slow-0"));
        assertThat(results).containsOnly("200  " + METRICS);
        assertThat(upstreamRequests("slow-0")).isEqualTo(1);
        Harness.awaitWithin(3000, () -> { // timings reach the registry within a second
            String metrics = MetricsText.of(kubescrape.url());
            return MetricsText.sum(metrics, "kubescrape_upstream_requests_saved_total", "cluster", "plain") >= 5
                    && MetricsText.sum(metrics, "kubescrape_scrape_duration_seconds_count", "cluster", "plain",
                    "shared", "in_flight") >= 5;
        });
    }

    @Test
    void scrapesAskingForAnotherEncodingAreNotIdentical() throws Exception {
        List<Future<String>> both = List.of(
                CALLERS.submit(() -> Harness.get(url("plain", "slow-1")).body()),
                CALLERS.submit(() -> Harness.get(url("plain", "slow-1"), "Accept-Encoding", "gzip").body()));
        for (Future<String> f : both) {
            f.get();
        }
        assertThat(upstreamRequests("slow-1")).isEqualTo(2);
    }

    @Test
    void aClusterWithoutSharingSendsEveryScrapeUpstream() throws Exception {
        assertThat(together(4, url("alone", "slow-2"))).containsOnly("200  " + METRICS);
        assertThat(upstreamRequests("slow-2")).isEqualTo(4);
    }

    @Test
    void aLateJoinerGetsTheBodyFromItsFirstByte() throws Exception {
        Future<byte[]> first = CALLERS.submit(() -> Harness.getBytes(url("plain", "dribble-0")).body());
        Thread.sleep(900); // the body is half-way through its 2 s
        byte[] late = Harness.getBytes(url("plain", "dribble-0")).body();
        assertThat(new String(first.get(), StandardCharsets.UTF_8)).isEqualTo(BIG);
        assertThat(new String(late, StandardCharsets.UTF_8)).isEqualTo(BIG);
        assertThat(upstreamRequests("dribble-0")).isEqualTo(1);
    }

    @Test
    void eachCallerKeepsItsOwnTimeout() throws Exception {
        // The first caller, whose request goes upstream, gives up after about 0.75 s; the pod answers after 1.5 s.
        Future<HttpResponse<String>> impatient = CALLERS.submit(() -> Harness.get(url("plain", "slow-3"),
                "X-Prometheus-Scrape-Timeout-Seconds", "1"));
        Thread.sleep(200);
        HttpResponse<String> patient = Harness.get(url("plain", "slow-3"));
        assertThat(impatient.get().statusCode()).isEqualTo(504);
        assertThat(patient.statusCode()).isEqualTo(200);
        assertThat(patient.body()).isEqualTo(METRICS);
        assertThat(upstreamRequests("slow-3")).isEqualTo(1);
    }

    @Test
    void aCallerThatDoesNotReadNeverSlowsTheOthers() throws Exception {
        URI base = URI.create(kubescrape.url());
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            stalled.getOutputStream().write(("GET /clusters/plain/ns/default/pods/big-0/metrics HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(100); // it leads; it reads nothing
            long t0 = System.nanoTime();
            HttpResponse<byte[]> reader = Harness.getBytes(url("plain", "big-0"));
            assertThat(reader.statusCode()).isEqualTo(200);
            assertThat(reader.body()).hasSize(BIG_BODY);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
            // The stalled caller fell more than the share buffer (8 MiB) behind and was cut off.
            stalled.setSoTimeout(10_000);
            long got = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = stalled.getInputStream().read(buf)) >= 0; ) {
                got += n;
            }
            assertThat(got).isLessThan(BIG_BODY);
        }
        assertThat(upstreamRequests("big-0")).isEqualTo(1);
    }

    @Test
    void aBrokenBodyFailsEverySharerAsItFailsOne() throws Exception {
        String alone = rawScrape("cut-0").get();
        List<Future<String>> shared = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shared.add(rawScrape("cut-1"));
        }
        assertThat(alone).isEqualTo("HTTP/1.1 200 OK, cut mid-body"); // the head went out, then the body broke off
        for (Future<String> f : shared) {
            assertThat(f.get()).isEqualTo(alone);
        }
        assertThat(upstreamRequests("cut-0")).isEqualTo(1);
        assertThat(upstreamRequests("cut-1")).isEqualTo(1);
    }

    /**
     * A scrape on a connection of its own (an HTTP client would retry a GET whose reused connection broke),
     * described by its status line and whether the chunked body ended.
     */
    private static Future<String> rawScrape(String pod) {
        int port = URI.create(kubescrape.url()).getPort();
        return CALLERS.submit(() -> {
            String raw = Harness.exchange(port, "GET /clusters/plain/ns/default/pods/" + pod + "/metrics HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n");
            return raw.substring(0, raw.indexOf("\r\n")) + (raw.endsWith("\r\n0\r\n\r\n") ? ", whole" : ", cut mid-body");
        });
    }

    @Test
    void theShareWindowHalvesAnHaPairsRequestsAndNeverServesOlder() throws Exception {
        int before = 0;
        for (int i = 0; i < 10; i++) {
            before += upstreamRequests("ha-" + i);
        }
        List<String> ages = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // replica A, then replica B, pod by pod: never at the same time
            assertThat(Harness.get(url("windowed", "ha-" + i)).headers().firstValue("Age")).isEmpty();
            HttpResponse<String> b = Harness.get(url("windowed", "ha-" + i));
            assertThat(b.body()).isEqualTo(METRICS);
            ages.add(b.headers().firstValue("Age").orElse("none"));
        }
        int windowed = -before;
        for (int i = 0; i < 10; i++) {
            windowed += upstreamRequests("ha-" + i);
        }
        assertThat(windowed).isEqualTo(10); // 20 scrapes, 10 upstream requests
        assertThat(ages).allMatch(a -> a.equals("0") || a.equals("1"));
        for (int i = 0; i < 10; i++) { // the same on a cluster without a window: one upstream request each
            Harness.get(url("plain", "ha-" + i));
            Harness.get(url("plain", "ha-" + i));
        }
        int plain = -before - windowed;
        for (int i = 0; i < 10; i++) {
            plain += upstreamRequests("ha-" + i);
        }
        assertThat(plain).isEqualTo(20);
        Thread.sleep(2100); // past the window: a fresh request, not the kept answer
        int beforeLate = upstreamRequests("ha-0");
        assertThat(Harness.get(url("windowed", "ha-0")).headers().firstValue("Age")).isEmpty();
        assertThat(upstreamRequests("ha-0")).isEqualTo(beforeLate + 1);
    }

    @Test
    void everySharerOfTheApiServersMetricsLearnsWhichConnectionAnswered() throws Exception {
        String url = kubescrape.url() + "/clusters/windowed/apiserver/metrics";
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CALLERS.submit(() -> Harness.get(url)));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : calls) {
            answers.add(f.get());
        }
        answers.add(Harness.get(url)); // within the window: from memory
        assertThat(api.findAll(getRequestedFor(urlEqualTo("/metrics")))).hasSize(1);
        assertThat(answers.get(3).headers().firstValue("Age")).isPresent();
        for (HttpResponse<String> r : answers) {
            assertThat(r.body()).isEqualTo(METRICS);
            assertThat(r.headers().firstValue("X-Kubescrape-Apiserver-Address"))
                    .hasValue("127.0.0.1:" + api.httpsPort());
            assertThat(r.headers().firstValue("X-Kubescrape-Apiserver-Audit-Id")).hasValue("a1b2c3");
            assertThat(r.headers().firstValue("Audit-Id")).as("the API server's own header is not relayed").isEmpty();
        }
    }
}
