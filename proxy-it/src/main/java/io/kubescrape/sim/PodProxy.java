package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
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
    static final String METRICS_TYPE = Replies.METRICS_TYPE;

    private final ObjectStore<SimPod> store;
    private final MetricsBodies bodies;
    private final BackendProxy backend;
    private final long slowMillis;
    private final SimConnections connections;
    /** Scrapes each pod received, for tests that assert what reached the "pods". */
    final ConcurrentMap<String, LongAdder> scrapes = new ConcurrentHashMap<>();

    PodProxy(ObjectStore<SimPod> store, MetricsBodies bodies, BackendProxy backend, long slowMillis, SimConnections connections) {
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
            Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(SimKind.POD, name));
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
            case RESET_LENGTH, RESET_CHUNKED -> Replies.resetMidBody(ctx, bodies.body(pod, false, ctx.alloc()), METRICS_TYPE,
                    pod.fault() == SimPod.Fault.RESET_CHUNKED);
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
        boolean gzip = Replies.acceptsGzip(req);
        switch (pod.fault()) {
            case TYPE_CONFLICT, MALFORMED -> {
                ByteBuf plain = bodies.body(pod, false, ctx.alloc());
                String text = plain.toString(StandardCharsets.UTF_8);
                plain.release();
                text = pod.fault() == SimPod.Fault.TYPE_CONFLICT
                        ? text.replace("# TYPE sim_queue_depth gauge", "# TYPE sim_queue_depth counter")
                        : text.replaceFirst("\n", "\nsim_broken{half=\"open 1\n");
                Replies.metrics(ctx, req, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), false);
            }
            case OPENMETRICS -> Replies.metrics(ctx, req, Unpooled.copiedBuffer(MetricsBodies.openMetrics(pod),
                    StandardCharsets.UTF_8), false, MetricsBodies.OPENMETRICS_TYPE);
            case GZIP_ONLY -> Replies.metrics(ctx, req, bodies.body(pod, true, ctx.alloc()), true);
            default -> Replies.metrics(ctx, req, bodies.body(pod, gzip, ctx.alloc()), gzip);
        }
    }

    private static void unreachable(ChannelHandlerContext ctx, HttpRequest req, String why) {
        Replies.status(ctx, req, 503, "ServiceUnavailable", "error trying to reach service: " + why);
    }
}
