package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kubescrape ↔ kube-sim over real TLS: every pod through both contexts, and the fault pods. */
class KubeSimEndToEndTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(15);
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);

    private static HttpResponse<String> scrape(String context, String key, String... headers) throws Exception {
        String[] nsPod = key.split("/");
        return Harness.get(KUBESCRAPE.url() + "/clusters/" + context + "/ns/" + nsPod[0] + "/pods/" + nsPod[1]
                + "/metrics", headers);
    }

    @Test
    void everyRegularPodScrapesThroughBothContexts() throws Exception {
        List<String> regular = SIM.server().podKeys().stream().filter(k -> !k.startsWith("faults/")).toList();
        assertThat(regular).hasSize(15);
        long before = SIM.server().scrapes().getOrDefault("default/web-0", 0L);
        for (String context : new String[] {"kube-sim", "kube-sim-mtls"}) {
            for (String key : regular) {
                HttpResponse<String> r = scrape(context, key);
                assertThat(r.statusCode()).as(context + " " + key).isEqualTo(200);
                String[] nsPod = key.split("/");
                assertThat(r.body()).contains("sim_pod_info{namespace=\"" + nsPod[0] + "\",pod=\"" + nsPod[1] + "\"")
                        .contains("# TYPE sim_request_duration_seconds histogram")
                        .contains("# TYPE sim_rpc_duration_seconds summary");
            }
        }
        assertThat(SIM.server().scrapes().get("default/web-0") - before).as("what the pod saw: one scrape per context")
                .isEqualTo(2L);
    }

    @Test
    void slowPodTimesOut() throws Exception {
        HttpResponse<String> r = scrape("kube-sim", "faults/slow-0", "X-Prometheus-Scrape-Timeout-Seconds", "1");
        assertThat(r.statusCode()).isEqualTo(504);
    }

    @Test
    void podsThatResetMidBodyNeverArriveComplete() {
        for (String pod : new String[] {"faults/reset-length-0", "faults/reset-chunked-0"}) {
            assertThat(catchThrowable(() -> scrape("kube-sim", pod))).as(pod).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPodsErrorPassesThroughAndNamedPortsAreResolved() throws Exception {
        HttpResponse<String> r = scrape("kube-sim", "faults/error-500-0");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("collector failed");
        // api-* pods annotate prometheus.io/port with a port name; the sim, like a real API server, would 503 it.
        assertThat(scrape("kube-sim", "default/api-0").statusCode()).isEqualTo(200);
        assertThat(scrape("kube-sim", "default/web-0:http").statusCode()).as("the pod's own 404").isEqualTo(404);
    }
}
