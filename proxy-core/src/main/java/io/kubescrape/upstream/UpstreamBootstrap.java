package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/** How both pools (HTTP/1.1 and HTTP/2) connect to an API server: socket options, timeouts, keepalive. */
final class UpstreamBootstrap {
    private UpstreamBootstrap() {
    }

    /** Runs a pool's {@code reap} (closing connections idle past the idle timeout) twice an idle timeout. */
    static ScheduledFuture<?> scheduleReaper(EventLoop loop, ClusterSpec spec, Runnable reap) {
        long every = Math.max(1000, spec.upstream().idleTimeout().toMillis() / 2);
        return loop.scheduleWithFixedDelay(reap, every, every, TimeUnit.MILLISECONDS);
    }

    static Bootstrap create(EventLoop loop, Class<? extends Channel> channelClass, SocketAddress remote,
                            ClusterSpec spec, ChannelHandler initializer) {
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) spec.upstream().connectTimeout().toMillis())
                .handler(initializer);
        if (remote instanceof InetSocketAddress) {
            b.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
            Transport.keepAlive(b, channelClass);
        }
        return b;
    }
}
