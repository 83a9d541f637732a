package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubescrape.bench.ScrapeBenchmark;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the scrape benchmark working: one round of one second per contender, 2 KB body, 4 connections. The
 * numbers mean nothing here; that every contender served every request through the shared upstream does.
 */
class ScrapeBenchmarkSmokeTest {
    @Test
    void everyContenderServesTheFixtureThroughTheSharedUpstream(@TempDir Path dir) throws Exception {
        for (String[] tool : new String[][] {{"wrk", "wrk"}, {"nginx", "nginx"}, {"haproxy", "haproxy"},
            {"kubectl", "kubernetes-client"}}) {
            assumeTrue(Tools.onPath(tool[0]), () -> Tools.missing(tool[0], tool[1]));
        }
        dir.toFile().setReadable(true, false); // nginx workers may run as another user
        dir.toFile().setExecutable(true, false);
        String report = ScrapeBenchmark.run(ScrapeBenchmark.Settings.parse(new String[] {"--rounds", "1",
            "--seconds", "1", "--sizes", "2k", "--connections", "4", "--upstream", "http2",
            "--jar", KubescrapeProcess.jar().toString()}), dir);
        System.out.println(report);
        for (String contender : new String[] {"direct", "kubescrape", "kubescrape-http2", "nginx", "haproxy",
            "kubectl-proxy"}) {
            assertThat(report).as(contender).containsPattern("\\| 1 \\| 2k \\| 4 \\| " + contender
                    + " \\| [1-9][0-9,]* \\|.*\\| 0 \\|\n");
        }
        assertThat(report).contains("| 2k | 4 | **median** |")
                .as("says how kubescrape ran").containsPattern("kubescrape: `kubescrape \\S+ listening on .*\\(transport ");
    }
}
