package io.kubescrape.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.kubescrape.testing.Fixtures;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubescrape against WireMock playing an HTTPS API server: credentials, mTLS, a wrong CA, and every API-server
 * answer the outcome table maps (Status 401/403/404/503, slow pods, broken bodies, gzip).
 */
class WireMockApiServerTest {
    private static final TestPki PKI = new TestPki("wiremock-ca");
    private static final String GOOD = "Bearer good-token";
    private static final String METRICS = new String(Fixtures.bytes("small-2k.prom"), StandardCharsets.UTF_8);
    private static WireMockServer api;
    private static WireMockServer mtlsApi;
    private static Harness.Running kubescrape;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path keystore = PKI.server(TestPki.KeyType.RSA).writeKeyStore(dir.resolve("server.p12"));
        api = new WireMockServer(tls(keystore));
        mtlsApi = new WireMockServer(tls(keystore).needClientAuth(true)
                .trustStorePath(PKI.writeTrustStore(dir.resolve("trust.p12")).toString())
                .trustStorePassword(TestPki.PASSWORD).trustStoreType("PKCS12"));
        api.start();
        mtlsApi.start();
        stub(api, true);
        stub(mtlsApi, false);
        TestPki.Issued client = PKI.client(TestPki.KeyType.EC, "kubescrape");
        TestPki otherCa = new TestPki("someone-elses-ca");
        String url = "https://127.0.0.1:" + api.httpsPort();
        String mtlsUrl = "https://localhost:" + mtlsApi.httpsPort();
        Path kubeconfig = new Kubeconfigs()
                .context("wm", url, PKI.caPem(), Kubeconfigs.token("good-token"))
                .context("wrong-token", url, PKI.caPem(), Kubeconfigs.token("stale-token"))
                .context("wrong-ca", url, otherCa.caPem(), Kubeconfigs.token("good-token"))
                .context("mtls", mtlsUrl, PKI.caPem(), Kubeconfigs.clientCert(client, TestPki.KeyFormat.PKCS8))
                .context("mtls-no-cert", mtlsUrl, PKI.caPem(), Kubeconfigs.token("good-token"))
                .write(dir.resolve("kubeconfig"));
        kubescrape = Harness.start(kubeconfig);
    }

    /** An HTTPS-only WireMock on loopback with the given key store (shared with the other WireMock tests). */
    static WireMockConfiguration tls(Path keystore) {
        return WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(keystore.toString()).keystorePassword(TestPki.PASSWORD)
                .keyManagerPassword(TestPki.PASSWORD).keystoreType("PKCS12").gzipDisabled(true);
    }

    private static String pod(String name) {
        return new String(Fixtures.bytes("k8s/pod.json"), StandardCharsets.UTF_8).replace("web-0", name);
    }

    /** @param bearer whether requests must carry the good token (the mTLS server authenticates by certificate) */
    private static void stub(WireMockServer s, boolean bearer) throws Exception {
        var auth = bearer ? equalTo(GOOD) : WireMock.absent();
        s.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.bytes("k8s/status-401.json"))));
        for (String name : new String[] {"web-0", "forbidden-0", "down-0", "slow-0", "broken-0", "gzip-0", "oops-0"}) {
            s.stubFor(get(urlEqualTo("/api/v1/namespaces/default/pods/" + name)).atPriority(1)
                    .withHeader("Authorization", auth)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(pod(name))));
        }
        s.stubFor(get(urlEqualTo("/api/v1/namespaces/default/pods/ghost")).atPriority(1)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.bytes("k8s/status-404-pod.json"))));
        String proxy = "/api/v1/namespaces/default/pods/%s:9100/proxy/metrics";
        s.stubFor(get(urlEqualTo(proxy.formatted("web-0"))).atPriority(1).withHeader("Authorization", auth)
                .willReturn(aResponse().withHeader("Content-Type", "text/plain; version=0.0.4").withBody(METRICS)));
        s.stubFor(get(urlEqualTo(proxy.formatted("forbidden-0"))).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.bytes("k8s/status-403-pods-proxy.json"))));
        s.stubFor(get(urlEqualTo(proxy.formatted("down-0"))).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.bytes("k8s/status-503-dial.json"))));
        s.stubFor(get(urlEqualTo(proxy.formatted("slow-0"))).atPriority(1)
                .willReturn(aResponse().withFixedDelay(4000).withBody(METRICS)));
        s.stubFor(get(urlEqualTo(proxy.formatted("broken-0"))).atPriority(1)
                .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        s.stubFor(get(urlEqualTo(proxy.formatted("oops-0"))).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/plain")
                        .withBody("collector failed\n")));
        s.stubFor(get(urlEqualTo(proxy.formatted("gzip-0"))).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "text/plain; version=0.0.4")
                        .withHeader("Content-Encoding", "gzip").withBody(gzip(METRICS))));
    }

    @AfterAll
    static void stop() {
        if (kubescrape != null) {
            kubescrape.close();
        }
        api.stop();
        mtlsApi.stop();
    }

    private static HttpResponse<String> scrape(String cluster, String pod, String... headers) throws Exception {
        return Harness.get(kubescrape.url() + "/clusters/" + cluster + "/ns/default/pods/" + pod + "/metrics",
                headers);
    }

    @Test
    void bearerScrapeRelaysThePodsResponse() throws Exception {
        HttpResponse<String> r = scrape("wm", "web-0", "Authorization", "Basic c2NyYXBlcjpzZWNyZXQ=");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(METRICS);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
        api.verify(getRequestedFor(urlEqualTo("/api/v1/namespaces/default/pods/web-0:9100/proxy/metrics"))
                .withHeader("Authorization", equalTo(GOOD)));
    }

    @Test
    void clientCertificateScrape() throws Exception {
        HttpResponse<String> r = scrape("mtls", "web-0");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(METRICS);
        // The server required and verified the certificate; no Authorization header went up.
        mtlsApi.verify(getRequestedFor(urlEqualTo("/api/v1/namespaces/default/pods/web-0:9100/proxy/metrics"))
                .withoutHeader("Authorization"));
    }

    @Test
    void mtlsServerWithoutClientCertificateIsATlsFailure() throws Exception {
        HttpResponse<String> r = scrape("mtls-no-cert", "web-0");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("X-Kubescrape-Outcome")).hasValue("upstream_tls");
        assertThat(r.body()).startsWith("API server: ");
    }

    @Test
    void wrongCaIs502NamingTheCertificateProblem() throws Exception {
        HttpResponse<String> r = scrape("wrong-ca", "web-0");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("X-Kubescrape-Outcome")).hasValue("upstream_tls");
        assertThat(r.body()).contains("not signed by the configured CA");
    }

    @Test
    void rejectedCredentialsAre502Saying401() throws Exception {
        HttpResponse<String> r = scrape("wrong-token", "web-0");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("rejected kubescrape's credentials").contains("401");
        assertThat(r.body()).doesNotContain("stale-token");
    }

    @Test
    void forbiddenIs502NamingTheMissingPermission() throws Exception {
        HttpResponse<String> r = scrape("wm", "forbidden-0");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("get on pods/proxy").contains("403");
    }

    @Test
    void missingPodIs404() throws Exception {
        HttpResponse<String> r = scrape("wm", "ghost");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("pods \"ghost\" not found");
    }

    @Test
    void unreachablePodIs503() throws Exception {
        HttpResponse<String> r = scrape("wm", "down-0");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("pod: ").contains("connection refused");
    }

    @Test
    void aPodsOwnErrorPassesThrough() throws Exception {
        HttpResponse<String> r = scrape("wm", "oops-0");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("collector failed\n");
    }

    @Test
    void slowPodTimesOutAt504() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = scrape("wm", "slow-0", "X-Prometheus-Scrape-Timeout-Seconds", "1");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(ms).isLessThan(3000);
        assertThat(r.body()).contains("750 ms");
        // The next scrape still works: the timed-out connection was closed, not pooled.
        assertThat(scrape("wm", "web-0").statusCode()).isEqualTo(200);
    }

    @Test
    void aBrokenBodyNeverArrivesComplete() throws Exception {
        // Headers went out before the body broke, so the only honest signal left is a connection closed
        // short of the terminating chunk: the client must fail, not see a complete 200.
        Throwable t = catchThrowable(() -> scrape("wm", "broken-0"));
        assertThat(t).isInstanceOf(IOException.class);
        assertThat(kubescrape.server().metrics().registry().find("kubescrape.scrape.duration")
                .tags("cluster", "wm", "outcome", "truncated").timer().count()).isEqualTo(1);
    }

    @Test
    void gzipPassesThroughUntouched() throws Exception {
        HttpResponse<byte[]> r = Harness.getBytes(kubescrape.url() + "/clusters/wm/ns/default/pods/gzip-0/metrics",
                "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.body()).isEqualTo(gzip(METRICS));
        api.verify(getRequestedFor(urlEqualTo("/api/v1/namespaces/default/pods/gzip-0:9100/proxy/metrics"))
                .withHeader("Accept-Encoding", equalTo("gzip")));
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
