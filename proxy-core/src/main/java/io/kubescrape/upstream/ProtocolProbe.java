package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * For {@code upstream.protocol: auto}: one TLS connection to the API server offering h2 and http/1.1 in ALPN, closed
 * once the handshake tells which the server picked. Its answer decides the cluster's pools.
 */
final class ProtocolProbe {
    private ProtocolProbe() {
    }

    /** Completes with true when the server picked h2, false for HTTP/1.1 (or no ALPN); exceptionally if unreachable. */
    static CompletableFuture<Boolean> picksHttp2(EventLoop loop, ClusterSpec spec, SslContext offeringBoth,
                                                Class<? extends Channel> channelClass, SocketAddress remote) {
        CompletableFuture<Boolean> picked = new CompletableFuture<>();
        String peer = spec.tls().serverName() != null ? spec.tls().serverName() : spec.server().getHost();
        ChannelFuture cf = UpstreamBootstrap.create(loop, channelClass, remote, spec, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler tls = offeringBoth.newHandler(ch.alloc(), peer, spec.port());
                tls.setHandshakeTimeoutMillis(spec.upstream().connectTimeout().toMillis());
                ch.pipeline().addLast(tls);
            }
        }).option(ChannelOption.AUTO_READ, true).connect(remote);
        cf.addListener(connected -> {
            if (!connected.isSuccess()) {
                picked.completeExceptionally(UpstreamFailures.connect(spec, connected.cause()));
                return;
            }
            SslHandler tls = cf.channel().pipeline().get(SslHandler.class);
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    picked.complete(ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol()));
                } else {
                    picked.completeExceptionally(UpstreamFailures.connect(spec, h.cause()));
                }
                cf.channel().close();
            });
        });
        return picked;
    }
}
