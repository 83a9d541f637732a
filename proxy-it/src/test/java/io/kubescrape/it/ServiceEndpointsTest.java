package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kubernetes-service-endpoints convention through kubescrape against kube-sim, whose api and worker Services
 * are annotated to be scraped: one target per ready pod endpoint, scraping exactly that pod at the Service's port and
 * path; and pod targets labelled with the Services that select them.
 */
class ServiceEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(20);
    private static Harness.Running ks;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("endpoints.yaml"), """
                kubeconfigs: [{path: kubeconfig}]
                cluster_defaults: {discovery: {roles: [pod, endpoints]}}
                """);
        ks = Harness.startWithConfig(cfg);
        Harness.awaitWithin(15_000, () -> Harness.get(ks.url() + "/-/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (ks != null) {
            ks.close();
        }
    }

    private static List<JsonNode> groups(String query) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(Harness.get(ks.url() + "/sd?" + query).body()).forEach(out::add);
        return out;
    }

    @Test
    void eachReadyEndpointOfAnAnnotatedServiceIsATargetThatScrapesThatPod() throws Exception {
        List<JsonNode> endpoints = groups("role=endpoints&cluster=kube-sim");
        // 20 pods: api-0..3 and worker-0..3, in default and monitoring.
        assertThat(endpoints).hasSize(8);
        for (JsonNode g : endpoints) {
            String path = g.at("/labels/__metrics_path__").asText();
            String pod = g.at("/labels/pod").asText();
            String ns = g.at("/labels/namespace").asText();
            assertThat(g.at("/labels/__meta_kubescrape_role").asText()).isEqualTo("endpoints");
            assertThat(g.at("/labels/service").asText()).isEqualTo(pod.replaceAll("-\\d+$", ""));
            assertThat(path).isEqualTo("/clusters/kube-sim/ns/" + ns + "/services/" + g.at("/labels/service").asText()
                    + "/pods/" + pod + ":" + (pod.startsWith("api") ? 9102 : 9100) + "/metrics");
            assertThat(g.at("/labels/instance").asText()).matches("10\\.244\\.\\d+\\.\\d+:910[02]");
            HttpResponse<String> r = Harness.get(ks.url() + path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as("exactly what that pod serves, at the Service's path")
                    .contains("sim_pod_info{namespace=\"" + ns + "\",pod=\"" + pod + "\"");
        }
    }

    @Test
    void podTargetsNameTheServicesThatSelectThem() throws Exception {
        JsonNode web0 = groups("role=pod&cluster=kube-sim").stream().filter(g -> g.at("/labels/pod").asText()
                .equals("web-0")).findFirst().orElseThrow();
        assertThat(web0.at("/labels/__meta_kubescrape_service_name").asText()).isEqualTo("web");
        assertThat(web0.at("/labels/__meta_kubescrape_service_label_app").asText()).isEqualTo("web");
    }

    @Test
    void anUnknownServiceIs404AndNothingGoesUpstream() throws Exception {
        long before = SIM.server().scrapes().values().stream().mapToLong(Long::longValue).sum();
        HttpResponse<String> r = Harness.get(ks.url() + "/clusters/kube-sim/ns/default/services/nope/pods/web-0:9100/metrics");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Kubescrape-Outcome")).hasValue("unknown_service");
        assertThat(r.body()).contains("no Service default/nope in cluster kube-sim");
        assertThat(SIM.server().scrapes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
    }

    @Test
    void aNewPodBehindAnAnnotatedServiceBecomesATargetWithinSeconds() throws Exception {
        String added = SIM.server().addPod(41); // app api (41 % 5 == 1), api-8 in default
        long t0 = System.nanoTime();
        Harness.awaitWithin(2000, () -> groups("role=endpoints&cluster=kube-sim").stream()
                .anyMatch(g -> (g.at("/labels/namespace").asText() + "/" + g.at("/labels/pod").asText()).equals(added)));
        System.out.printf("[measure] a new Service endpoint in /sd after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(SIM.server().deletePod(added)).isTrue();
        Harness.awaitWithin(2000, () -> groups("role=endpoints&cluster=kube-sim").stream()
                .noneMatch(g -> (g.at("/labels/namespace").asText() + "/" + g.at("/labels/pod").asText()).equals(added)));
    }
}
