package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubescrape.bench.Soak;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 60-second soak (the 10-minute one is a command: docs/reliability.md): no growth, no non-injected error. */
class SoakTest {
    @Test
    void sixtySecondsOfLoadWithChurnAndFaultsLeaveNothingGrowingAndNoUnexpectedError(@TempDir Path dir)
            throws Exception {
        assumeTrue(Tools.onPath("wrk"), () -> Tools.missing("wrk", "wrk"));
        Soak.Report r = Soak.run(Duration.ofSeconds(60), Duration.ofSeconds(10), KubescrapeProcess.jar(), dir);
        System.out.println("[measure] 60 s soak: " + r.steady().requests() + " steady scrapes, "
                + r.faults().requests() + " fault-pod scrapes; outcomes " + r.outcomes() + "\n" + r.samples());
        assertThat(r.problems()).isEmpty();
        assertThat(r.steady().requests()).as("steady scrapes in 60 s").isGreaterThan(10_000);
        assertThat(r.outcomes()).as("the injected faults really happened")
                .containsKeys("faults/timeout", "faults/truncated", "faults/pod_error");
        assertThat(r.samples()).hasSizeGreaterThanOrEqualTo(6);
    }
}
