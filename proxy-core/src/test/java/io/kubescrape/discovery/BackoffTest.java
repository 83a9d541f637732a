package io.kubescrape.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyWithJitterUpToTheCapAndResets() {
        Backoff b = new Backoff(500, 30_000);
        long[] ceilings = {500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000};
        for (long ceiling : ceilings) {
            assertThat(b.nextMillis()).isBetween(ceiling / 2, ceiling);
        }
        b.reset();
        assertThat(b.nextMillis()).isBetween(250L, 500L);
        long distinct = IntStream.range(0, 50).mapToLong(i -> {
            Backoff x = new Backoff(500, 30_000);
            x.nextMillis();
            x.nextMillis();
            return x.nextMillis();
        }).distinct().count();
        assertThat(distinct).as("jittered, so replicas do not retry in step").isGreaterThan(10);
    }
}
