package io.kubescrape.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionDeadlineTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ConnectionDeadline deadline = new ConnectionDeadline(channel.eventLoop());
    private final List<String> expired = new ArrayList<>();

    private void advance(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void theLimitInForceIsTheOneThatRunsOut() {
        deadline.set(TimeUnit.SECONDS.toNanos(120), () -> expired.add("idle"));
        deadline.set(TimeUnit.SECONDS.toNanos(10), () -> expired.add("headers"));
        deadline.set(TimeUnit.SECONDS.toNanos(30), () -> expired.add("scrape"));
        advance(29);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly("scrape");
        advance(200);
        assertThat(expired).as("each limit runs out once").containsExactly("scrape");
    }

    @Test
    void aLaterLimitMovesTheEndWithoutFiringEarly() {
        deadline.set(TimeUnit.SECONDS.toNanos(10), () -> expired.add("first"));
        advance(8);
        deadline.set(TimeUnit.SECONDS.toNanos(10), () -> expired.add("second"));
        advance(9);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly("second");
    }

    @Test
    void aClearedLimitNeverRunsOutAndClosingStopsEverything() {
        deadline.set(TimeUnit.SECONDS.toNanos(5), () -> expired.add("cleared"));
        deadline.clear();
        advance(10);
        deadline.set(TimeUnit.SECONDS.toNanos(5), () -> expired.add("closed"));
        deadline.close();
        deadline.set(TimeUnit.SECONDS.toNanos(1), () -> expired.add("after close"));
        advance(10);
        assertThat(expired).isEmpty();
    }

    @Test
    void manyRequestsOnOneConnectionEndOnTheLastLimitSet() {
        for (int i = 0; i < 1000; i++) {
            deadline.set(TimeUnit.SECONDS.toNanos(10), () -> expired.add("headers"));
            deadline.set(TimeUnit.SECONDS.toNanos(30), () -> expired.add("scrape"));
            deadline.set(TimeUnit.SECONDS.toNanos(120), () -> expired.add("idle"));
        }
        advance(119);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly("idle");
    }
}
