package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Aggregated scrapes of kube-sim's namespaces through kubescrape: every pod's samples, labelled, and per-pod up. */
class AggregateScrapeTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(20);
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        Harness.awaitWithin(10_000, () -> Harness.get(KUBESCRAPE.url() + "/-/ready").statusCode() == 200);
        return Harness.get(KUBESCRAPE.url() + path, headers);
    }

    @Test
    void aNamespaceIsOneBodyWithEveryPodsSamplesLabelledAndEachPodsUp() throws Exception {
        HttpResponse<String> r = get("/clusters/kube-sim/ns/default/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        // default holds web-0, api-0, worker-0, auth-0 (cache-0 is no target: not annotated), and so on.
        List<String> pods = SIM.server().podKeys().stream().filter(k -> k.startsWith("default/") && !k.contains("cache"))
                .map(k -> k.substring("default/".length())).toList();
        assertThat(r.headers().firstValue("X-Kubescrape-Aggregate-Pods")).hasValue(Integer.toString(pods.size()));
        for (String pod : pods) {
            String labels = "cluster=\"kube-sim\",namespace=\"default\",pod=\"" + pod + "\"";
            assertThat(r.body()).contains("kubescrape_target_up{" + labels + "} 1\n")
                    .contains("sim_pod_info{" + labels + ",exported_namespace=\"default\",exported_pod=\"" + pod + "\"");
        }
        assertThat(r.body()).containsOnlyOnce("# TYPE sim_http_requests_total counter");
        assertThat(r.body()).doesNotContain("namespace=\"monitoring\"");
    }

    @Test
    void whatPromtoolReadsAsValidExposition(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("promtool"), () -> Tools.missing("promtool",
                "prometheus"));
        for (String path : List.of("/clusters/kube-sim/ns/default/metrics", "/clusters/kube-sim/metrics")) {
            Path body = Files.writeString(dir.resolve("body.prom"), get(path).body());
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(body.toFile())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(said).as(path).doesNotContain("error while linting").doesNotContain("text format parsing error");
        }
    }

    @Test
    void aSelectorNarrowsItAndAWrongOneIs400() throws Exception {
        String body = get("/clusters/kube-sim/metrics?selector=app%20in%20(web,api)").body();
        assertThat(body).contains("pod=\"web-0\"").contains("pod=\"api-1\"").doesNotContain("pod=\"worker-0\"");
        HttpResponse<String> bad = get("/clusters/kube-sim/ns/default/metrics?selector=app%20in%20(web");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("X-Kubescrape-Outcome")).hasValue("invalid_query");
        assertThat(bad.body()).contains("selector: a value list without its )");
        assertThat(get("/clusters/kube-sim/ns/default/metrics?other=1").statusCode()).isEqualTo(400);
    }

    @Test
    void openMetricsAndGzipWhenTheCallerAsks() throws Exception {
        HttpResponse<String> om = get("/clusters/kube-sim/ns/monitoring/metrics",
                "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(om.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(om.body()).endsWith("# EOF\n").contains("# TYPE sim_http_requests_total counter");
        HttpResponse<byte[]> gz = Harness.getBytes(KUBESCRAPE.url() + "/clusters/kube-sim/ns/monitoring/metrics",
                "Accept-Encoding", "gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String plain = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(plain).contains("kubescrape_target_up{cluster=\"kube-sim\",namespace=\"monitoring\",pod=\"web-1\"} 1");
    }

    @Test
    void faultPodsAreDownWithTheirOutcomeAndTheAnswerKeepsTheBudget() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/clusters/kube-sim/ns/faults/metrics", "X-Prometheus-Scrape-Timeout-Seconds", "2");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("kubescrape_target_up{cluster=\"kube-sim\",namespace=\"faults\",pod=\"slow-0\","
                + "outcome=\"timeout\"} 0").contains("pod=\"error-500-0\",outcome=\"pod_error\"} 0");
        assertThat(r.body()).containsPattern("pod=\"reset-length-0\",outcome=\"[a-z_]+\"} 0");
        assertThat(r.headers().firstValue("X-Kubescrape-Aggregate-Down")).hasValue("4");
        assertThat(ms).as("never later than the budget (2 s less kubescrape's margin)").isLessThan(2500);
    }
}
