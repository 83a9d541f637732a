package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus discovers kube-sim's pods through kubescrape: http_sd_configs against /sd (cluster
 * kube-sim) and file_sd_configs against kubescrape's file (cluster kube-sim-mtls), relabelling from
 * __meta_kubescrape_* labels; every annotated pod is up.
 */
class PrometheusDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(20).withoutFaultPods();
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM).withFileSd("targets.json");
    private static PrometheusProcess prometheus;
    private static long annotated;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("prometheus"), () -> Tools.missing("prometheus", "prometheus"));
        annotated = SIM.server().podKeys().stream().filter(k -> !k.contains("/cache-")).count();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: http-sd
                    http_sd_configs:
                      - url: '%s/sd?cluster=kube-sim'
                        refresh_interval: 1s
                    relabel_configs:
                      - {source_labels: [__meta_kubescrape_pod_label_app], target_label: app}
                      - {source_labels: [__meta_kubescrape_pod_node_name], target_label: node}
                  - job_name: file-sd
                    file_sd_configs:
                      - {files: ['%s'], refresh_interval: 1s}
                    relabel_configs:
                      - {source_labels: [cluster], regex: kube-sim-mtls, action: keep}
                      - {source_labels: [__meta_kubescrape_pod_container_port_name], target_label: port_name}
                """.formatted(KUBESCRAPE.url(), KUBESCRAPE.fileSd()));
        prometheus = new PrometheusProcess(dir.resolve("prometheus.yml"), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        Harness.closeAll(prometheus);
    }

    @Test
    void everyAnnotatedPodIsUpThroughHttpSdAndFileSd() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode http = JSON.createArrayNode();
        JsonNode file = JSON.createArrayNode();
        while (System.nanoTime() < deadline) {
            http = prometheus.query("up{job=\"http-sd\"} == 1");
            file = prometheus.query("up{job=\"file-sd\"} == 1");
            if (http.size() == annotated && file.size() == annotated) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(http.size()).as("http_sd targets up").isEqualTo(annotated);
        assertThat(file.size()).as("file_sd targets up").isEqualTo(annotated);
        assertThat(prometheus.query("up == 0").size()).isZero();
        Set<String> instances = new HashSet<>();
        for (JsonNode series : http) {
            JsonNode m = series.get("metric");
            // instance names the pod (its IP and port), not kubescrape: a dashboard by instance tells pods apart.
            assertThat(m.get("instance").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+");
            instances.add(m.get("instance").asText());
            assertThat(m.get("cluster").asText()).isEqualTo("kube-sim");
            assertThat(m.get("pod").asText()).startsWith(m.get("app").asText() + "-");
            assertThat(m.get("node").asText()).matches("node-[123]");
        }
        assertThat(instances).as("one instance per target").hasSize((int) annotated);
        for (JsonNode series : file) {
            assertThat(series.at("/metric/cluster").asText()).isEqualTo("kube-sim-mtls");
            assertThat(series.at("/metric/port_name").asText()).isIn("metrics", "http-metrics", "https");
        }
        JsonNode info = prometheus.query("sim_pod_info{job=\"http-sd\"}");
        assertThat(info.size()).isEqualTo(annotated);
        for (JsonNode series : info) {
            assertThat(series.at("/metric/pod").asText()).isEqualTo(series.at("/metric/exported_pod").asText());
        }
    }
}
