package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.bench.AuthFloodBenchmark;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The credential benchmark runs (its numbers are for docs/security.md, not for a test to judge): under a flood of
 * wrong passwords the valid caller's scrapes and the health probe are answered, and every attacker gets 401 or a
 * 503 shed, nothing else.
 */
class AuthFloodSmokeTest {
    @Test
    void aFloodOfWrongPasswordsIsRefusedWhileTheValidCallerIsServed() throws Exception {
        AuthFloodBenchmark.Result r = AuthFloodBenchmark.run(KubescrapeProcess.jar(), Duration.ofSeconds(2), 8);
        System.out.print("[measure] " + r.report());
        assertThat(r.scrapes()).as("valid scrapes answered 200").isNotEmpty();
        assertThat(r.probes()).as("health probes answered 200").isNotEmpty();
        assertThat(r.refused() + r.shed()).as("wrong passwords refused").isPositive();
        assertThat(r.otherAnswers()).as("no attacker got anything but 401 or 503").isZero();
    }
}
