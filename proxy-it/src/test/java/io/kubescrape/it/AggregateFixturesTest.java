package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An aggregate of kube-sim's namespace agg, whose pods' bodies differ in every way an aggregate must cope with: a
 * TYPE that disagrees, a line that does not parse, OpenMetrics with exemplars, gzip always, a slow pod.
 */
class AggregateFixturesTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.with(Sims.options(0, 0, false).withAggregateFixtures());
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);

    private static HttpResponse<String> aggregate(String... headers) throws Exception {
        Harness.awaitWithin(10_000, () -> Harness.get(KUBESCRAPE.url() + "/-/ready").statusCode() == 200);
        return Harness.get(KUBESCRAPE.url() + "/clusters/kube-sim/ns/agg/metrics", headers);
    }

    private static String up(String pod) {
        return "kubescrape_target_up{cluster=\"kube-sim\",namespace=\"agg\",pod=\"" + pod + "\"";
    }

    @Test
    void eachPodIsTakenOrDownForItsOwnReasonAndTheRestAreUnaffected() throws Exception {
        HttpResponse<String> r = aggregate("X-Prometheus-Scrape-Timeout-Seconds", "2");
        String body = r.body();
        assertThat(body).contains(up("plain-0") + "} 1").contains(up("plain-1") + "} 1")
                .contains(up("conflict-0") + "} 1").contains(up("openmetrics-0") + "} 1")
                .contains(up("gzip-only-0") + "} 1")
                .contains(up("malformed-0") + ",outcome=\"parse_error\"} 0")
                .contains(up("slow-0") + ",outcome=\"timeout\"} 0");
        // The first pod whose body arrives sets the family's TYPE; a pod that disagrees loses that family only.
        assertThat(body).containsOnlyOnce("# TYPE sim_queue_depth ").containsPattern(
                "sim_pod_info\\{[^}]*pod=\"conflict-0\"");
        if (body.contains("# TYPE sim_queue_depth gauge")) {
            assertThat(body).containsPattern("sim_queue_depth\\{[^}]*pod=\"plain-0\"")
                    .doesNotContainPattern("sim_queue_depth\\{[^}]*pod=\"conflict-0\"");
        } else {
            assertThat(body).contains("# TYPE sim_queue_depth counter")
                    .containsPattern("sim_queue_depth\\{[^}]*pod=\"conflict-0\"")
                    .doesNotContainPattern("sim_queue_depth\\{[^}]*pod=\"plain-0\"");
        }
        assertThat(body).as("nothing of the pod whose body does not parse").doesNotContainPattern(
                "sim_pod_info\\{[^}]*pod=\"malformed-0\"");
        assertThat(body).as("OpenMetrics read; its exemplar and created series have no place in text")
                .contains("sim_jobs_total{cluster=\"kube-sim\",namespace=\"agg\",pod=\"openmetrics-0\",kind=\"batch\"} 42\n")
                .doesNotContain("trace_id").doesNotContain("sim_jobs_created");
        assertThat(body).as("gzip undone").containsPattern("sim_pod_info\\{[^}]*pod=\"gzip-only-0\"");
        assertThat(KUBESCRAPE.server().metrics().registry().find("kubescrape.aggregate.families.dropped")
                .counter().count()).isPositive();
    }

    @Test
    void inOpenMetricsTheExemplarAndCreatedSeriesPass() throws Exception {
        String body = aggregate("Accept", "application/openmetrics-text;version=1.0.0",
                "X-Prometheus-Scrape-Timeout-Seconds", "2").body();
        assertThat(body).contains("pod=\"openmetrics-0\",kind=\"batch\"} 42 # {trace_id=\"4bf92f3577b34da6\"} 1 ")
                .containsPattern("sim_jobs_created\\{[^}]*pod=\"openmetrics-0\"").endsWith("# EOF\n");
    }
}
