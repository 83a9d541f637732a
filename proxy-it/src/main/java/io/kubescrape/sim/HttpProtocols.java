package io.kubescrape.sim;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Like a real API server, the test servers speak HTTP/2 to clients that offer it in ALPN and HTTP/1.1 to the
 * rest. Either way requests reach the same handlers as HTTP/1.1-style objects; over HTTP/2 each stream is its
 * own child channel with its own copy of the handlers.
 */
public final class HttpProtocols extends ApplicationProtocolNegotiationHandler {
    /** For the server's SslContext: h2 preferred, then http/1.1. */
    public static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    /** kube-apiserver's default --http2-max-streams-per-connection. */
    private static final int MAX_STREAMS = 1000;

    private final Supplier<ChannelHandler[]> handlers;
    private final AtomicInteger openStreams;

    /** @param handlers what follows the HTTP codec, new for each connection (HTTP/1.1) or stream (HTTP/2) */
    public HttpProtocols(Supplier<ChannelHandler[]> handlers) {
        this(handlers, new AtomicInteger());
    }

    /** As above, keeping {@code openStreams} at the number of HTTP/2 streams open now. */
    public HttpProtocols(Supplier<ChannelHandler[]> handlers, AtomicInteger openStreams) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.handlers = handlers;
        this.openStreams = openStreams;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                    .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS)).build());
            ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel stream) {
                    openStreams.incrementAndGet();
                    stream.closeFuture().addListener(f -> openStreams.decrementAndGet());
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                    stream.pipeline().addLast(handlers.get());
                }
            }));
        } else {
            ctx.pipeline().addLast(new HttpServerCodec());
            ctx.pipeline().addLast(handlers.get());
        }
    }
}
