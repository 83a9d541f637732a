package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus scrapes kube-sim's namespaces as aggregates (discovered with /sd?role=aggregate, answered in
 * OpenMetrics, which Prometheus asks for first) and ingests exactly the pods' samples plus kubescrape's three per pod.
 */
class AggregatePrometheusTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(12).withoutFaultPods();

    @Test
    void prometheusIngestsEveryPodsSamplesAndTheSyntheticOnes(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("prometheus"), () -> Tools.missing("prometheus", "prometheus"));
        Path cfg = Files.writeString(SIM.dir().resolve("agg.yaml"), """
                kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]
                cluster_defaults: {discovery: {roles: [pod, aggregate]}}
                """);
        try (Harness.Running ks = Harness.startWithConfig(cfg)) {
            Harness.awaitWithin(15_000, () -> Harness.get(ks.url() + "/-/ready").statusCode() == 200);
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 2s, scrape_timeout: 1500ms}
                    scrape_configs:
                      - job_name: agg
                        http_sd_configs: [{url: '%s/sd?role=aggregate'}]
                    """.formatted(ks.url()));
            try (PrometheusProcess prometheus = new PrometheusProcess(dir.resolve("prometheus.yml"), dir)) {
                Harness.awaitWithin(30_000, () -> prometheus.query("up{job=\"agg\"} == 1").size() == 2
                        && prometheus.query("scrape_samples_scraped{job=\"agg\"}").size() == 2);
                Map<String, Double> scraped = byInstance(prometheus.query("scrape_samples_scraped{job=\"agg\"}"));
                Map<String, Double> podSamples = byInstance(prometheus.query(
                        "sum by (instance) (kubescrape_target_samples{job=\"agg\"})"));
                Map<String, Double> pods = byInstance(prometheus.query(
                        "count by (instance) (kubescrape_target_up{job=\"agg\"} == 1)"));
                Map<String, Double> ingested = byInstance(prometheus.query("count by (instance) ({job=\"agg\","
                        + "__name__!~\"kubescrape_target_.*|up|scrape_.*\"})"));
                assertThat(scraped.keySet()).containsExactlyInAnyOrder("kube-sim/default", "kube-sim/monitoring");
                for (String instance : scraped.keySet()) {
                    assertThat(scraped.get(instance)).as(instance + ": the pods' samples and 3 per pod")
                            .isEqualTo(podSamples.get(instance) + 3 * pods.get(instance));
                    assertThat(ingested.get(instance)).as(instance + ": every pod sample a series of its own")
                            .isEqualTo(podSamples.get(instance));
                }
                assertThat(pods.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(
                        SIM.server().podKeys().stream().filter(k -> !k.contains("/cache-")).count());
                assertThat(prometheus.query("sim_pod_info{job=\"agg\",cluster=\"kube-sim\",namespace=\"default\","
                        + "pod=\"web-0\",exported_pod=\"web-0\"}")).as("labelled with its pod").hasSize(1);
            }
        }
    }

    private static Map<String, Double> byInstance(JsonNode result) {
        Map<String, Double> out = new HashMap<>();
        result.forEach(r -> out.put(r.at("/metric/instance").asText(), r.at("/value/1").asDouble()));
        return out;
    }
}
