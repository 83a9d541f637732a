package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/prometheus.md's complete prometheus.yml, taken from the doc as it stands, run by the real Prometheus against
 * kubescrape and kube-sim (every role on): every target of the five jobs is up except kube-sim's fault nodes and fault
 * pods, and cAdvisor's, the kubelet's, the API server's and a pod's series answer queries with the usual labels.
 */
class KubernetesJobsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = Path.of("..", "docs", "prometheus.md").toAbsolutePath().normalize();
    private static final Pattern YAML = Pattern.compile("<!-- prometheus-kubernetes.yml[^>]*-->\\s*```yaml\\n(.*?)```",
            Pattern.DOTALL);
    private static final List<String> JOBS = List.of("kubernetes-apiservers", "kubernetes-nodes", "kubernetes-cadvisor",
            "kubernetes-service-endpoints", "kubernetes-pods");

    static String documentedConfig() throws Exception {
        Matcher m = YAML.matcher(Files.readString(DOC));
        assertThat(m.find()).as("the prometheus-kubernetes.yml block in " + DOC).isTrue();
        return m.group(1);
    }

    @Test
    void theDocumentedJobsScrapeEverythingThroughKubescrape(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("prometheus"), () -> Tools.missing("prometheus", "prometheus"));
        try (var sim = Sims.start(12, 0)) {
            Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig + "}]\n"
                    + "cluster_defaults: {discovery: {roles: [pod, node, apiserver, endpoints]}}\n");
            try (Harness.Running ks = Harness.startWithConfig(cfg)) {
                Harness.awaitWithin(15_000, () -> Harness.get(ks.url() + "/-/ready").statusCode() == 200);
                String yaml = documentedConfig().replace("http://kubescrape.example:8080", ks.url())
                        .replace("scrape_interval: 30s", "scrape_interval: 2s")
                        .replace("scrape_timeout: 10s", "scrape_timeout: 1500ms");
                assertThat(yaml).as("the doc's placeholders were all replaced").doesNotContain("kubescrape.example");
                Files.writeString(dir.resolve("prometheus.yml"), yaml);
                int expected = 0;
                for (String query : List.of("role=apiserver", "role=node&endpoint=kubelet", "role=node&endpoint=cadvisor",
                        "role=endpoints", "role=pod")) {
                    expected += JSON.readTree(Harness.get(ks.url() + "/sd?" + query).body()).size();
                }
                try (PrometheusProcess prometheus = new PrometheusProcess(dir.resolve("prometheus.yml"), dir)) {
                    int targets = expected;
                    Harness.awaitWithin(40_000, () -> prometheus.query("count(up)").path(0).at("/value/1").asInt()
                            == targets && prometheus.query("count(up) by (job)").size() == JOBS.size());
                    // Every target scraped at least once (the slow ones take their timeout).
                    Thread.sleep(3000);
                    List<String> down = new ArrayList<>();
                    prometheus.query("up == 0").forEach(r -> down.add(r.at("/metric/job").asText() + " "
                            + r.at("/metric/node").asText() + r.at("/metric/namespace").asText() + "/"
                            + r.at("/metric/pod").asText()));
                    assertThat(down).as("only kube-sim's fault nodes and fault pods are down").allMatch(d ->
                            d.contains("slow-node") || d.contains("reset-node") || d.contains("notready-node")
                                    || d.contains("faults/"));
                    assertThat(prometheus.query("count(up == 1) by (job)")).hasSize(JOBS.size());

                    assertThat(prometheus.query("container_cpu_usage_seconds_total{job=\"kubernetes-cadvisor\","
                            + "cluster=\"kube-sim\",node=\"node-1\",namespace=\"default\",pod=\"web-0\",container=\"web\"}"))
                            .as("cAdvisor: node, namespace, pod and container").hasSize(1);
                    assertThat(prometheus.query("kubelet_running_pods{job=\"kubernetes-nodes\",cluster=\"kube-sim\",node=\"node-2\","
                            + "kubernetes_io_hostname=\"node-2\"}")).as("the kubelet, with the node's labels").hasSize(1);
                    assertThat(prometheus.query("sum(apiserver_request_total{job=\"kubernetes-apiservers\","
                            + "cluster=\"kube-sim\",resource=\"nodes\"})").path(0).at("/value/1").asDouble())
                            .as("the API server counted kubescrape's node lists").isPositive();
                    assertThat(prometheus.query("sim_pod_info{job=\"kubernetes-pods\",cluster=\"kube-sim\",namespace=\"default\","
                            + "pod=\"web-0\",node=\"node-1\",app=\"web\"}")).as("a pod's own metric").hasSize(1);
                    assertThat(prometheus.query("sim_pod_info{job=\"kubernetes-service-endpoints\",cluster=\"kube-sim\",service=\"api\","
                            + "namespace=\"default\",pod=\"api-0\"}")).as("a Service endpoint's").hasSize(1);
                }
            }
        }
    }
}
