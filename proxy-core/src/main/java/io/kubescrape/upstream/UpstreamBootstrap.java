package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How both pools (HTTP/1.1 and HTTP/2) connect to an API server: socket options, timeouts, keepalive. */
final class UpstreamBootstrap {
    private UpstreamBootstrap() {
    }

    /** How often a pool looks for connections idle past the idle timeout. */
    static long reaperPeriodMillis(ClusterSpec spec) {
        return Math.max(1000, spec.upstream().idleTimeout().toMillis() / 2);
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
