package io.kubescrape.sim;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's client connections, so fault tests can see what the API server saw (connections open now and
 * accepted in all) and inject connection faults: close every connection at once, or close a connection on a
 * pod-proxy request instead of answering it (as a server does that closes a keep-alive connection at the moment
 * a request arrives on it).
 */
@ChannelHandler.Sharable
final class SimConnections extends ChannelInboundHandlerAdapter {
    private final ChannelGroup open = new DefaultChannelGroup("kube-sim-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        accepted.incrementAndGet();
        open.add(ctx.channel());
        ctx.fireChannelActive();
    }

    int openNow() {
        return open.size();
    }

    long accepted() {
        return accepted.get();
    }

    long dropped() {
        return dropped.get();
    }

    void closeAll() {
        open.close().syncUninterruptibly();
    }

    void dropNextProxyRequests(int n) {
        dropsLeft.set(n);
    }

    /** True when this pod-proxy request is to be dropped: the connection is closed, nothing is answered. */
    boolean dropped(ChannelHandlerContext ctx) {
        if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return false;
        }
        dropped.incrementAndGet();
        ctx.close();
        return true;
    }
}
