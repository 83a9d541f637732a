package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/** The pipeline of a pooled upstream channel: TLS, the HTTP/1.1 client codec, the exchange dispatcher. */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
    private final ClusterSpec spec;
    private final java.util.function.Supplier<SslContext> sslContext;
    private final PoolStats stats;

    UpstreamChannelInitializer(ClusterSpec spec, java.util.function.Supplier<SslContext> sslContext, PoolStats stats) {
        this.spec = spec;
        this.sslContext = sslContext;
        this.stats = stats;
    }

    @Override
    protected void initChannel(Channel ch) {
        addTls(ch);
        ch.pipeline().addLast("http", new HttpClientCodec());
        ch.pipeline().addLast("exchange", new UpstreamHandler());
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
