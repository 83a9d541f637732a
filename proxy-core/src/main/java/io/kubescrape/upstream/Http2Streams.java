package io.kubescrape.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The HTTP/2 plumbing of an upstream connection: Netty's connection handler (framing, HPACK, flow control,
 * settings, pings, GOAWAY) and the {@link Http2Dispatch} that hands each stream's frames to its exchange.
 */
final class Http2Streams {
    /**
     * Per-stream receive window: what the API server may send a stream before kubescrape reads it, so what a
     * slow scraper can make kubescrape hold. Large enough that a 5 MB body is not paced by window updates.
     */
    static final int STREAM_WINDOW = 512 * 1024;
    private static final int DEFAULT_WINDOW = 65_535;

    private Http2Streams() {
    }

    /** TLS (if any) is already in place; flushes from many streams are written together, once per loop pass. */
    static void addConnectionHandlers(ChannelPipeline p) {
        Http2Dispatch dispatch = new Http2Dispatch();
        p.addLast("flush", new FlushConsolidationHandler(256, false));
        // Server push is disabled in our SETTINGS: a PUSH_PROMISE anyway is a connection error.
        // kubescrape never sends DATA upstream: the plainest byte distributor will do (the default weighs priorities
        // and keeps a queue entry per stream).
        Http2Connection connection = new DefaultHttp2Connection(false);
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
                new UniformStreamByteDistributor(connection)));
        Http2ConnectionHandler h2 = new Http2ConnectionHandlerBuilder().connection(connection)
                .frameListener(dispatch.frames())
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
                .build();
        // A 16 KB DATA frame rarely fits in one TLS record, so most frames span two decrypted buffers: joined as
        // components, not copied into one (the copy was a third of the CPU of a 5 MB scrape).
        h2.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        p.addLast("h2", h2);
        p.addLast("streams", dispatch);
    }

    /**
     * The connection-level window starts at 64 KiB whatever the settings say; widen it so that every stream can
     * use its whole window at once and one slow stream cannot stall the others.
     */
    static void widenConnectionWindow(Channel connection, int maxStreams) throws Http2Exception {
        Http2Connection c = connection.pipeline().get(Http2ConnectionHandler.class).connection();
        int target = (int) Math.min(Integer.MAX_VALUE, (long) STREAM_WINDOW * maxStreams);
        c.local().flowController().incrementWindowSize(c.connectionStream(), target - DEFAULT_WINDOW);
        connection.flush();
    }
}
