package io.kubescrape.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop that hangs is ended after its limit; one that finishes in time is left alone. */
class ShutdownWatchdogTest {
    @Test
    void aStopPastItsLimitIsEnded() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        new ShutdownWatchdog(Duration.ofMillis(50), ended::countDown).start();
        assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStopThatFinishesInTimeIsLeftAlone() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        ShutdownWatchdog watchdog = new ShutdownWatchdog(Duration.ofMillis(300), ended::countDown).start();
        watchdog.cancel();
        assertThat(ended.await(1, TimeUnit.SECONDS)).as("cancelled before its limit").isFalse();
    }
}
