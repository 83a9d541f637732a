package io.kubescrape.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes an HTTP/2 connection's frames to its {@link MultiplexedStream}s, straight from the decoder: a stream's
 * exchange hears its head and each DATA payload without a child channel, frame object or second decoder in
 * between. Sits after the {@link Http2ConnectionHandler} in the pipeline, so it also sees the end of each read
 * burst, when every stream that got something is told (the moment its relay flushes downstream).
 */
final class Http2Dispatch extends ChannelInboundHandlerAdapter {
    private final Http2FrameListener frames = new Frames();
    private final List<MultiplexedStream> touched = new ArrayList<>();
    private Http2ConnectionHandler h2;
    private ChannelHandlerContext h2ctx;
    private Http2Connection.PropertyKey key;

    Http2FrameListener frames() {
        return frames;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        h2 = ctx.pipeline().get(Http2ConnectionHandler.class);
        h2ctx = ctx.pipeline().context(h2);
        Http2Connection c = h2.connection();
        key = c.newKey();
        c.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                MultiplexedStream s = stream.removeProperty(key);
                if (s != null) {
                    s.closed();
                }
            }
        });
    }

    Http2Connection connection() {
        return h2.connection();
    }

    /**
     * Writes a request's HEADERS (its whole request: no body) on a new stream, or tells {@code s} why not. Not
     * flushed: the caller first takes note of the stream ({@link #flush()}), as the answer may come at once.
     * @return the new stream, or null when none could be made
     */
    Http2Stream open(MultiplexedStream s, Http2Headers headers) {
        Http2Connection c = h2.connection();
        int id = c.local().incrementAndGetNextStreamId();
        if (id < 0) {
            s.broken(new Http2Exception(Http2Error.REFUSED_STREAM, "stream ids of this connection ran out"));
            return null;
        }
        ChannelFuture f = h2.encoder().writeHeaders(h2ctx, id, headers, 0, true, h2ctx.newPromise());
        Http2Stream stream = c.stream(id);
        if (stream == null) {
            s.broken(f.cause() != null ? f.cause() : new Http2Exception(Http2Error.REFUSED_STREAM,
                    "the HTTP/2 connection took no new stream"));
            return null;
        }
        stream.setProperty(key, s);
        if (!f.isSuccess()) { // not written yet, or failed: the stream breaks if it fails
            f.addListener(w -> {
                if (!w.isSuccess()) {
                    s.broken(w.cause());
                }
            });
        }
        return stream;
    }

    void flush() {
        h2ctx.channel().flush();
    }

    /** Resets a stream still open (the exchange gave up on it, or the response broke a rule). */
    void reset(Http2Stream stream, Http2Error error) {
        if (stream.state() != Http2Stream.State.CLOSED) {
            h2.resetStream(h2ctx, stream.id(), error.code(), h2ctx.newPromise());
            h2ctx.channel().flush();
        }
    }

    /** Bytes of a stream held and now handed on: the server may send that much more. */
    void credit(Http2Stream stream, int bytes) {
        if (bytes <= 0) {
            return;
        }
        try {
            if (h2.decoder().flowController().consumeBytes(stream, bytes)) {
                h2ctx.channel().flush();
            }
        } catch (Http2Exception e) {
            h2ctx.fireExceptionCaught(e);
        }
    }

    void touched(MultiplexedStream s) {
        touched.add(s);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Indexed: a stream told may end and another be touched meanwhile; each is told once per burst.
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).burstEnded();
        }
        touched.clear();
        ctx.fireChannelReadComplete();
    }

    private MultiplexedStream stream(int id) {
        Http2Stream stream = h2.connection().stream(id);
        return stream == null ? null : stream.getProperty(key);
    }

    private final class Frames extends Http2FrameAdapter {
        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                              boolean endOfStream) {
            MultiplexedStream s = stream(streamId);
            return s == null ? data.readableBytes() + padding : s.data(data, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            MultiplexedStream s = stream(streamId);
            if (s != null) {
                s.headers(headers, endOfStream);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            MultiplexedStream s = stream(streamId);
            if (s != null) {
                s.reset(errorCode);
            }
        }
    }
}
