package io.kubescrape.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Slow-loris protection: once the first byte of a request arrives, its headers must be complete within the
 * header timeout, or the connection is closed. An idle keep-alive connection (no byte of a next request yet) is
 * left to the idle timeout, so scrapers reusing connections between scrapes are not cut.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private ConnectionDeadline deadline;
    private boolean waitingForRequest = true;
    private boolean clockRunning;
    private boolean partial;
    private ChannelHandlerContext ctx;

    HeaderTimeout(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** The connection's deadline, from its handler once active (before the first read). */
    void timeWith(ConnectionDeadline connectionDeadline) {
        this.deadline = connectionDeadline;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline != null && msg instanceof ByteBuf buf && buf.isReadable()) {
            if (!waitingForRequest) {
                partial = true; // read while a request is served (a read stays pending): timed once it is done
            } else if (!clockRunning) {
                startClock();
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void startClock() {
        clockRunning = true;
        deadline.set(timeoutNanos, ctx::close);
    }

    /** The request's headers are complete: the rest of the exchange is timed elsewhere. */
    void headersReceived() {
        waitingForRequest = false;
        partial = false;
        if (clockRunning) {
            clockRunning = false;
            deadline.clear();
        }
    }

    /**
     * The response is done: the next request's first byte starts the clock again, or now if bytes of it came
     * while the last one was served. Call after setting the idle limit, which this then replaces.
     */
    void awaitNextRequest() {
        waitingForRequest = true;
        clockRunning = false;
        if (partial) {
            partial = false;
            startClock();
        }
    }

}
