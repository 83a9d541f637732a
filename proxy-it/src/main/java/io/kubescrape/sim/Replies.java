package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Complete responses of the simulated API server, honouring keep-alive. */
final class Replies {
    static final String JSON = "application/json";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

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

    /** Whether the client asked for a server-side Table, as kubectl get does. */
    static boolean wantsTable(HttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("as=Table");
    }
}
