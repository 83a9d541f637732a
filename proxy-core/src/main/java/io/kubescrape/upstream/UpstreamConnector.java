package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.metrics.PoolStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * The one way both pools (HTTP/1.1 and HTTP/2) open a connection to an API server: ask the cluster's circuit,
 * connect, shake hands over TLS, and count and report what failed. The pools keep only what differs: what a ready
 * connection becomes, and whom a failure answers.
 */
final class UpstreamConnector {
    /** How one connection attempt ended; exactly one of these is called, on the pool's event loop. */
    interface Result {
        void ready(Channel ch);

        void failed(ScrapeException why);
    }

    private final ClusterSpec spec;
    private final SocketAddress remote;
    private final CircuitBreaker breaker;
    private final PoolStats stats;
    private final Bootstrap bootstrap;

    /** @param multiplexed HTTP/2: the connection reads all the time; HTTP/1.1 reads only when a response is wanted */
    UpstreamConnector(EventLoop loop, ClusterSpec spec, Supplier<SslContext> sslContext, PoolStats stats,
                      Class<? extends Channel> channelClass, SocketAddress remote, CircuitBreaker breaker,
                      boolean multiplexed) {
        this.spec = spec;
        this.remote = remote;
        this.breaker = breaker;
        this.stats = stats;
        this.bootstrap = UpstreamBootstrap.create(loop, channelClass, remote, spec,
                new UpstreamChannelInitializer(spec, sslContext, stats, multiplexed))
                .option(ChannelOption.AUTO_READ, multiplexed);
    }

    /** Whether the circuit lets a connection be tried now; when not, {@link #refused()} is the failure to give. */
    boolean allowed() {
        return breaker.allowConnect();
    }

    ScrapeException refused() {
        return UpstreamFailures.circuitOpen(spec, breaker);
    }

    boolean circuitOpen() {
        return breaker.open();
    }

    /**
     * Starts a connection. The caller tracks {@code cf.channel()} at once (it is open from now on), then passes the
     * future to {@link #whenReady}.
     */
    ChannelFuture connect() {
        return bootstrap.connect(remote);
    }

    /** Reports the connection ready once connected and, where there is TLS, handshaken; or why not. */
    void whenReady(ChannelFuture cf, Result result) {
        Channel ch = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                stats.connectFailures.incrementAndGet();
                breaker.connectFailed();
                result.failed(UpstreamFailures.connect(spec, f.cause()));
                return;
            }
            breaker.connected();
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) {
                result.ready(ch);
                return;
            }
            ch.read(); // without AUTO_READ the handshake's answer is never read
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    result.ready(ch);
                } else {
                    result.failed(UpstreamFailures.connect(spec, h.cause()));
                }
            });
        });
    }
}
