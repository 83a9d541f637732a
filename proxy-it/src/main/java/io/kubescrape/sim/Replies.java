package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Complete responses of the simulated API server, honouring keep-alive. */
final class Replies {
    static final String JSON = "application/json";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Replies() {
    }

    static void send(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String type, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(r, body.readableBytes());
        write(ctx, req, r);
    }

    /** Writes a complete response, closing afterwards unless the request keeps the connection alive. */
    static void write(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void json(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, byte[] body) {
        send(ctx, req, status, JSON, Unpooled.wrappedBuffer(body));
    }

    static void status(ChannelHandlerContext ctx, HttpRequest req, int code, String reason, String message) {
        json(ctx, req, HttpResponseStatus.valueOf(code), ApiDocuments.status(code, reason, message));
    }

    /** Promises the whole body, sends half, then resets the connection (RST, no TLS close_notify). */
    static void resetMidBody(ChannelHandlerContext ctx, ByteBuf body, String type, boolean chunked) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(head, true);
        } else {
            HttpUtil.setContentLength(head, body.readableBytes());
        }
        ctx.write(head);
        ByteBuf half = body.readRetainedSlice(body.readableBytes() / 2);
        body.release();
        Channel ch = ctx.channel();
        ctx.writeAndFlush(new DefaultHttpContent(half)).addListener(f -> {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.unsafe().close(ch.unsafe().voidPromise());
        });
    }

    /** A metrics body as a scraper gets it: gzipped when it asks for gzip, nothing but headers for HEAD. */
    static void metrics(ChannelHandlerContext ctx, HttpRequest req, ByteBuf body, boolean gzipped) {
        metrics(ctx, req, body, gzipped, METRICS_TYPE);
    }

    static void metrics(ChannelHandlerContext ctx, HttpRequest req, ByteBuf body, boolean gzipped, String type) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(r, body.readableBytes());
        if (gzipped) {
            r.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        }
        if (head) {
            body.release();
        }
        write(ctx, req, r);
    }

    static boolean acceptsGzip(HttpRequest req) {
        String enc = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        return enc != null && enc.contains("gzip");
    }

    /** Whether the client asked for a server-side Table, as kubectl get does. */
    static boolean wantsTable(HttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("as=Table");
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
