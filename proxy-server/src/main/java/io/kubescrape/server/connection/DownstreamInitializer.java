package io.kubescrape.server.connection;

import io.kubescrape.config.DownstreamLimits;
import io.kubescrape.transport.CompactHeaders;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/** The downstream pipeline, read top to bottom: limits and timeouts, HTTP codec, the connection handler. */
public final class DownstreamInitializer extends ChannelInitializer<Channel> {
    private final SharedByConnections shared;
    private final DownstreamLimits limits;
    private final ConnectionLimiter connections;
    private final SslContext tls;

    /** @param tls TLS for callers, or null for plain HTTP */
    public DownstreamInitializer(SharedByConnections shared, DownstreamLimits limits, ConnectionLimiter connections,
                                 SslContext tls) {
        this.shared = shared;
        this.limits = limits;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("connections", connections);
        addTls(ch);
        addTimeouts(ch);
        addHttpCodec(ch);
        addConnectionHandler(ch);
    }

    private void addTls(Channel ch) {
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc());
            handler.setHandshakeTimeoutMillis(limits.headerTimeout().toMillis());
            ch.pipeline().addLast("tls", handler);
        }
    }

    private void addTimeouts(Channel ch) {
        // The idle timeout is the connection handler's, between requests; this one times a request's headers.
        ch.pipeline().addLast("header-timeout", new HeaderTimeout(limits.headerTimeout().toMillis()));
    }

    private void addHttpCodec(Channel ch) {
        ch.pipeline().addLast("line-folds", new LineFoldGuard()); // sees the bytes the codec would fold silently
        // The request line is the method, the URI and the version: allow the URI limit plus room for the rest.
        ch.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriLength() + 32).setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(8192).setHeadersFactory(CompactHeaders.FACTORY)));
    }

    private void addConnectionHandler(Channel ch) {
        ch.pipeline().addLast("downstream", new DownstreamHandler(shared, limits.maxRequestsPerConnection(),
                limits.idleTimeout().toNanos()));
    }
}
