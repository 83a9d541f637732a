package io.kubescrape.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slow-loris protection: once the first byte of a request arrives, its headers must be complete within the
 * header timeout, or the connection is closed. An idle keep-alive connection (no byte of a next request yet) is
 * left to the idle timeout, so scrapers reusing connections between scrapes are not cut.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
    private final long timeoutMillis;
    private boolean waitingForRequest = true;
    private ScheduledFuture<?> timer;

    HeaderTimeout(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waitingForRequest && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request's headers are complete: the rest of the exchange is timed elsewhere. */
    void headersReceived() {
        waitingForRequest = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The response is done: the next request's first byte starts the clock again. */
    void awaitNextRequest() {
        waitingForRequest = true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
