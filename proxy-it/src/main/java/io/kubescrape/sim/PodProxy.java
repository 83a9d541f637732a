package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /api/v1/namespaces/{ns}/pods/{name|name:port|scheme:name:port}/proxy/{path}} with the real API server's
 * rules: a missing pod is 404, a named port is not resolved (503), a port nothing listens on is 503
 * "connection refused"; the pod's own answers (metrics, 404 for other paths, the fault pods' misbehaviour)
 * pass as the pod sends them.
 */
final class PodProxy {
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PodStore store;
    private final MetricsBodies bodies;
    private final BackendProxy backend;
    private final long slowMillis;
    private final SimConnections connections;
    /** Scrapes each pod received, for tests that assert what reached the "pods". */
    final ConcurrentMap<String, LongAdder> scrapes = new ConcurrentHashMap<>();

    PodProxy(PodStore store, MetricsBodies bodies, BackendProxy backend, long slowMillis, SimConnections connections) {
        this.store = store;
        this.bodies = bodies;
        this.backend = backend;
        this.slowMillis = slowMillis;
        this.connections = connections;
    }

    void handle(ChannelHandlerContext ctx, HttpRequest req, String namespace, String id, String path) {
        if (connections.dropped(ctx)) {
            return;
        }
        String[] parts = id.split(":", -1);
        String name = parts.length == 3 ? parts[1] : parts[0];
        String port = parts.length == 3 ? parts[2] : parts.length == 2 ? parts[1] : "";
        SimPod pod = store.get(namespace, name);
        if (pod == null) {
            Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(namespace, name));
            return;
        }
        int number;
        if (port.isEmpty()) {
            number = pod.firstPort();
        } else if (!port.chars().allMatch(Character::isDigit)) {
            unreachable(ctx, req, "dial tcp: address tcp/" + port + ": unknown port");
            return;
        } else {
            number = Integer.parseInt(port);
        }
        if (!pod.servedPorts().contains(number)) {
            unreachable(ctx, req, "dial tcp " + pod.ip() + ":" + number + ": connect: connection refused");
            return;
        }
        scrapes.computeIfAbsent(pod.key(), k -> new LongAdder()).increment();
        if (backend != null) {
            backend.forward(ctx, req, path.isEmpty() ? "/" : path);
            return;
        }
        if (number != pod.firstPort() || !path.equals(pod.metricsPath())) {
            Replies.send(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                    Unpooled.copiedBuffer("404 page not found\n", StandardCharsets.UTF_8));
            return;
        }
        switch (pod.fault()) {
            case SLOW -> ctx.executor().schedule(() -> metrics(ctx, req, pod), slowMillis, TimeUnit.MILLISECONDS);
            case ERROR_500 -> Replies.send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8", Unpooled.copiedBuffer("collector failed: simulated error\n",
                            StandardCharsets.UTF_8));
            case RESET_LENGTH, RESET_CHUNKED -> resetMidBody(ctx, pod, pod.fault() == SimPod.Fault.RESET_CHUNKED);
            default -> metrics(ctx, req, pod);
        }
    }

    void forget(SimPod pod) {
        bodies.forget(pod);
        scrapes.remove(pod.key());
    }

    private void metrics(ChannelHandlerContext ctx, HttpRequest req, SimPod pod) {
        if (!ctx.channel().isActive()) {
            return;
        }
        String enc = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        boolean gzip = enc != null && enc.contains("gzip");
        ByteBuf body = bodies.body(pod, gzip, ctx.alloc());
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, METRICS_TYPE);
        HttpUtil.setContentLength(r, body.readableBytes());
        if (gzip) {
            r.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        }
        if (head) {
            body.release();
        }
        Replies.write(ctx, req, r);
    }

    /** Promises the whole body, sends half, then resets the connection (RST, no TLS close_notify). */
    private void resetMidBody(ChannelHandlerContext ctx, SimPod pod, boolean chunked) {
        ByteBuf body = bodies.body(pod, false, ctx.alloc());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, METRICS_TYPE);
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

    private static void unreachable(ChannelHandlerContext ctx, HttpRequest req, String why) {
        Replies.status(ctx, req, 503, "ServiceUnavailable", "error trying to reach service: " + why);
    }
}
