package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubescrape.bench.ScrapeBenchmark;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the scrape benchmark working: one round of one second per contender, 2 KB body, 4 connections, and the HA
 * pair scenario. The speed numbers mean nothing here; that every contender served every request through the shared
 * upstream does, and that an HA pair's paced scrapes are one upstream request each without a window, half with one.
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
        // The HA pair: paced, each pod's two scrapes are two upstream requests with the window off, one at 2 s.
        assertThat(report).contains("### HA pair")
                .containsPattern("\\| share_window off \\| paced: A then B, never at once \\| 400 \\| – \\| 1\\.000 \\| 0 \\|")
                .containsPattern("\\| share_window 2s \\| paced: A then B, never at once \\| 400 \\| – \\| 0\\.500 \\| 0 \\|")
                .containsPattern("\\| share_window 2s \\| two wrk streams, 2 connections each \\| [1-9][0-9,]* \\|.*\\| 0 \\|");
        assertThat(report).contains("| 2k | 4 | **median** |")
                .as("says how kubescrape ran").containsPattern("kubescrape: `kubescrape \\S+ listening on .*\\(transport ");
    }
}
