package io.kubescrape.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Headers must follow a request's first byte within the header timeout, also when that byte came early. */
class HeaderTimeoutTest {
    private final HeaderTimeout timeout = new HeaderTimeout(1000);
    private final EmbeddedChannel channel = new EmbeddedChannel(timeout);
    private final ConnectionDeadline deadline = new ConnectionDeadline(channel.eventLoop());

    HeaderTimeoutTest() {
        timeout.timeWith(deadline);
        deadline.set(TimeUnit.MINUTES.toNanos(2), channel::close); // the idle limit, as the connection sets it
    }

    private void bytes(String s) {
        channel.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
        Object read;
        while ((read = channel.readInbound()) != null) {
            ReferenceCountUtil.release(read);
        }
    }

    private void advanceMillis(long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aRequestStartedAndNotFinishedInTimeClosesTheConnection() {
        bytes("GET /metr");
        advanceMillis(999);
        assertThat(channel.isOpen()).isTrue();
        advanceMillis(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void completeHeadersStopTheClock() {
        bytes("GET /metr");
        timeout.headersReceived();
        advanceMillis(5000);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void bytesOfTheNextRequestSentDuringAScrapeAreTimedOnceItIsDone() {
        bytes("GET /a HTTP/1.1\r\n\r\n");
        timeout.headersReceived(); // the scrape runs; a read stays pending
        bytes("GET /b HT"); // the start of the next request, and then nothing
        advanceMillis(10_000);
        assertThat(channel.isOpen()).as("the scrape's time is not the header timeout's").isTrue();
        deadline.set(TimeUnit.MINUTES.toNanos(2), channel::close); // scrape done: idle limit, then
        timeout.awaitNextRequest();
        advanceMillis(1000);
        assertThat(channel.isOpen()).as("closed a header timeout after the scrape ended").isFalse();
    }

    @Test
    void aKeepAliveConnectionWithNoNewByteWaitsForTheIdleLimitOnly() {
        bytes("GET /a HTTP/1.1\r\n\r\n");
        timeout.headersReceived();
        deadline.set(TimeUnit.MINUTES.toNanos(2), channel::close);
        timeout.awaitNextRequest();
        advanceMillis(60_000);
        assertThat(channel.isOpen()).isTrue();
        advanceMillis(60_000);
        assertThat(channel.isOpen()).isFalse();
    }
}
