package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus scrapes 25 kube-sim pods through kubescrape, 20 from static_configs and 5 from a
 * file_sd file, and its HTTP API shows every target up with the right namespace and pod labels.
 */
class PrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(25);
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);
    private static PrometheusProcess prometheus;
    private static List<String> pods;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("prometheus"), () -> Tools.missing("prometheus", "prometheus"));
        String target = KUBESCRAPE.url().substring("http://".length());
        pods = SIM.server().podKeys().stream().filter(k -> !k.startsWith("faults/")).toList();
        assertThat(pods).hasSize(25);

        StringBuilder cfg = new StringBuilder("""
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: static
                    static_configs:
                """);
        for (String key : pods.subList(0, 20)) {
            cfg.append("      - targets: ['").append(target).append("']\n        labels: ").append(labels(key))
                    .append('\n');
        }
        cfg.append("  - job_name: file\n    file_sd_configs:\n      - files: ['").append(dir.resolve("targets.json"))
                .append("']\n        refresh_interval: 1s\n");
        Files.writeString(dir.resolve("prometheus.yml"), cfg);
        List<String> groups = new ArrayList<>();
        for (String key : pods.subList(20, 25)) {
            groups.add("{\"targets\":[\"" + target + "\"],\"labels\":" + labels(key) + "}");
        }
        Files.writeString(dir.resolve("targets.json"), "[" + String.join(",", groups) + "]");

        prometheus = new PrometheusProcess(dir.resolve("prometheus.yml"), dir);
    }

    /** The target labels of a pod, as a YAML/JSON flow mapping. */
    private static String labels(String key) {
        String[] nsPod = key.split("/");
        return "{\"cluster\": \"kube-sim\", \"namespace\": \"" + nsPod[0] + "\", \"pod\": \"" + nsPod[1]
                + "\", \"__metrics_path__\": \"/clusters/kube-sim/ns/" + nsPod[0] + "/pods/" + nsPod[1] + "/metrics\"}";
    }

    @AfterAll
    static void stop() throws Exception {
        Harness.closeAll(prometheus);
    }

    @Test
    void everyPodIsUpWithItsNamespaceAndPodLabels() throws Exception {
        JsonNode up = JSON.createArrayNode();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                up = prometheus.query("up == 1");
            } catch (IOException notYetListening) {
                up = JSON.createArrayNode();
            }
            if (up.size() == 25) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(up.size()).as("targets with up == 1").isEqualTo(25);
        assertThat(prometheus.query("up == 0").size()).isZero();
        assertThat(prometheus.query("count by (job) (up)").toString()).contains("\"job\":\"static\"").contains("\"job\":\"file\"");

        JsonNode info = prometheus.query("sim_pod_info");
        assertThat(info.size()).isEqualTo(25);
        List<String> seen = new ArrayList<>();
        for (JsonNode series : info) {
            JsonNode m = series.get("metric");
            // The pod's own namespace/pod labels collide with the target labels and are kept as exported_*:
            // they must agree, which proves each target was scraped from the pod its labels name.
            assertThat(m.get("namespace").asText()).isEqualTo(m.get("exported_namespace").asText());
            assertThat(m.get("pod").asText()).isEqualTo(m.get("exported_pod").asText());
            assertThat(m.get("cluster").asText()).isEqualTo("kube-sim");
            seen.add(m.get("namespace").asText() + "/" + m.get("pod").asText());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(pods);
    }
}
