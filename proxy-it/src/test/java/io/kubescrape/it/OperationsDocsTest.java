package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubescrape.sim.KubeSimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules pass promtool, and every metric they and the Grafana dashboard use is one kubescrape exports. */
class OperationsDocsTest {
    private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b((?:kubescrape|jvm)_[a-z_]+)\\b");

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        assumeTrue(Tools.onPath("promtool"), () -> Tools.missing("promtool", "prometheus"));
        Process p = new ProcessBuilder("promtool", "check", "rules", DOCS.resolve("alerts.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void everyMetricTheRulesAndDashboardUseIsExported(@TempDir Path dir) throws Exception {
        Set<String> used = new TreeSet<>();
        for (String file : new String[] {"alerts.yml", "grafana-dashboard.json"}) {
            Matcher m = METRIC.matcher(Files.readString(DOCS.resolve(file)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).contains("kubescrape_scrape_duration_seconds_count", "kubescrape_discovery_pods");
        try (KubeSimServer sim = Sims.start(5, 0, false);
             Harness.Running ks = Harness.start(sim.writeKubeconfig(dir.resolve("kubeconfig")))) {
            // Some meters appear on first use: a scrape, an /sd request and a watch restart.
            assertThat(Harness.get(ks.url() + "/clusters/kube-sim/ns/default/pods/web-0/metrics").statusCode())
                    .isEqualTo(200);
            Harness.get(ks.url() + "/sd");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Harness.get(ks.url() + "/-/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            sim.expireAndDisconnectWatches();
            String metrics = "";
            while (!metrics.contains("kubescrape_discovery_watch_restarts_total") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                metrics = Harness.get(ks.url() + "/metrics").body();
            }
            Set<String> exported = new TreeSet<>();
            for (String line : metrics.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
            assertThat(exported).as("names used by docs/alerts.yml and docs/grafana-dashboard.json").containsAll(used);
        }
    }
}
