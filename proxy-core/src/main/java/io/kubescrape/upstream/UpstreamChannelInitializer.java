package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Supplier;

/**
 * The pipeline of a pooled upstream connection: TLS, then either the HTTP/1.1 client codec and the exchange
 * dispatcher, or the HTTP/2 connection handlers (whose streams get their own pipeline, {@link Http2Streams}).
 */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
    private final ClusterSpec spec;
    private final Supplier<SslContext> sslContext;
    private final PoolStats stats;
    private final boolean http2;

    UpstreamChannelInitializer(ClusterSpec spec, Supplier<SslContext> sslContext, PoolStats stats, boolean http2) {
        this.spec = spec;
        this.sslContext = sslContext;
        this.stats = stats;
        this.http2 = http2;
    }

    @Override
    protected void initChannel(Channel ch) {
        addTls(ch);
        if (http2) {
            Http2Streams.addConnectionHandlers(ch.pipeline());
        } else {
            ch.pipeline().addLast("http", new UpstreamCodec());
            ch.pipeline().addLast("exchange", new UpstreamHandler());
        }
    }

    private void addTls(Channel ch) {
        SslContext ctx = sslContext.get();
        if (ctx == null) {
            return;
        }
        String peer = spec.tls().serverName() != null ? spec.tls().serverName() : spec.server().getHost();
        SslHandler tls = ctx.newHandler(ch.alloc(), peer, spec.port());
        tls.setHandshakeTimeoutMillis(spec.upstream().connectTimeout().toMillis());
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                stats.handshakes.incrementAndGet();
            } else {
                stats.handshakeFailures.incrementAndGet();
            }
        });
        ch.pipeline().addLast("tls", tls);
    }
}
