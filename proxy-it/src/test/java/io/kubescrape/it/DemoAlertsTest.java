package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock demo's workload for a minute, watched by the real Prometheus with docs/alerts.yml: kube-sim as
 * {@code demo.sh} starts it (20 pods and the four fault pods, the slow one answering after 10 s), every /sd target
 * scraped through kubescrape. The fault pods are the pods' own problem: they must raise the pod-side warnings,
 * naming the pods, and never a page.
 */
class DemoAlertsTest {
    private static final Path ALERTS = Path.of("..", "docs", "alerts.yml").toAbsolutePath().normalize();
    private static final Set<String> FAULT_PODS = Set.of("slow-0", "reset-length-0", "reset-chunked-0", "error-500-0");

    @Test
    void theDemoWorkloadRaisesPodWarningsAndNoPage(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("prometheus"), () -> Tools.missing("prometheus", "prometheus"));
        try (KubeSimServer sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, 20,
                     List.of("default", "monitoring"), 2048, null, 0, Sims.TOKEN, null, List.of(), null, 10_000, true));
             Harness.Running kubescrape = Harness.start(sim.writeKubeconfig(dir.resolve("kubeconfig")))) {
            String address = kubescrape.url().substring("http://".length());
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 5s, scrape_timeout: 5s, evaluation_interval: 1s}
                    rule_files: ['%s']
                    scrape_configs:
                      - job_name: kubescrape
                        static_configs: [{targets: ['%s']}]
                      - job_name: kubernetes-pods
                        http_sd_configs: [{url: '%s/sd', refresh_interval: 5s}]
                    """.formatted(ALERTS, address, kubescrape.url()));
            Set<String> pages = new TreeSet<>();
            Set<String> podWarnings = new TreeSet<>();
            Set<String> podsDown = new TreeSet<>();
            try (PrometheusProcess prometheus = new PrometheusProcess(dir.resolve("prometheus.yml"), dir)) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < end) {
                    for (JsonNode alert : prometheus.query("ALERTS")) {
                        JsonNode m = alert.get("metric");
                        String name = m.get("alertname").asText();
                        if ("critical".equals(m.path("severity").asText()) || name.equals("KubescrapeScrapeFailures")) {
                            pages.add(name + " " + m);
                        } else if (name.equals("KubescrapePodScrapeFailures")) {
                            podWarnings.add(m.get("cluster").asText());
                        } else if (name.equals("KubescrapeTargetDown")) {
                            podsDown.add(m.get("cluster").asText() + "/" + m.get("namespace").asText() + "/"
                                    + m.get("pod").asText());
                        }
                    }
                    Thread.sleep(1000);
                }
                assertThat(prometheus.query("count(up{job=\"kubernetes-pods\"} == 1)").at("/0/value/1").asText())
                        .as("the healthy pods were scraped all along").isEqualTo("32");
            }
            assertThat(pages).as("page-level alerts pending or firing during the demo's workload").isEmpty();
            assertThat(podWarnings).as("pod-side warning, per cluster").containsExactlyInAnyOrder("kube-sim", "kube-sim-mtls");
            Set<String> expectedDown = new TreeSet<>();
            for (String cluster : List.of("kube-sim", "kube-sim-mtls")) {
                FAULT_PODS.forEach(pod -> expectedDown.add(cluster + "/faults/" + pod));
            }
            assertThat(podsDown).as("KubescrapeTargetDown names exactly the fault pods").isEqualTo(expectedDown);
        }
    }
}
