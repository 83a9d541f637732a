package io.kubescrape.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.List;

/**
 * The HTTP/2 plumbing of an upstream connection. Each scrape is a stream: a child channel whose pipeline turns
 * frames into the same HTTP objects an HTTP/1.1 connection yields, so relays, pod GETs and watches work on
 * either protocol unchanged.
 */
final class Http2Streams {
    /**
     * Per-stream receive window: what the API server may send a stream before kubescrape reads it, so what a
     * slow scraper can make kubescrape hold. Large enough that a 5 MB body is not paced by window updates.
     */
    static final int STREAM_WINDOW = 512 * 1024;
    private static final int DEFAULT_WINDOW = 65_535;

    private static final ChannelHandler STREAM_CODEC = new ResponseCodec();
    /** Server push is disabled in our SETTINGS; a pushed stream anyway is refused. */
    private static final ChannelHandler REFUSE_PUSH = new RefusePush();

    private Http2Streams() {
    }

    /** TLS (if any) is already in place; flushes from many streams are written together, once per loop pass. */
    static void addConnectionHandlers(ChannelPipeline p) {
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("h2", Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
                .build());
        p.addLast("streams", new Http2MultiplexHandler(REFUSE_PUSH));
    }

    static Http2FrameCodec codec(Channel connection) {
        return connection.pipeline().get(Http2FrameCodec.class);
    }

    /**
     * The connection-level window starts at 64 KiB whatever the settings say; widen it so that every stream can
     * use its whole window at once and one slow stream cannot stall the others.
     */
    static void widenConnectionWindow(Channel connection, int maxStreams) throws Http2Exception {
        Http2Connection c = codec(connection).connection();
        int target = (int) Math.min(Integer.MAX_VALUE, (long) STREAM_WINDOW * maxStreams);
        c.local().flowController().incrementWindowSize(c.connectionStream(), target - DEFAULT_WINDOW);
        connection.flush();
    }

    /** Opens streams on one connection; reads only when asked, like a pooled HTTP/1.1 channel. */
    static Http2StreamChannelBootstrap streamBootstrap(Channel connection) {
        return new Http2StreamChannelBootstrap(connection).option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast("http", STREAM_CODEC);
                        stream.pipeline().addLast("exchange", new UpstreamHandler());
                    }
                });
    }

    /** Frames to HTTP objects, validating headers; minus the stream-id header the conversion adds. */
    @ChannelHandler.Sharable
    private static final class ResponseCodec extends Http2StreamFrameToHttpObjectCodec {
        private static final CharSequence STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();

        ResponseCodec() {
            super(false, true);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
            super.decode(ctx, frame, out);
            for (Object o : out) {
                if (o instanceof HttpResponse r) {
                    r.headers().remove(STREAM_ID);
                }
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class RefusePush extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
