package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /api/v1/nodes/{name}/proxy/{path}}: a node's kubelet through the API server. Only the four metrics
 * endpoints answer; every other kubelet path (exec, run, logs, pods, configz, pprof, …), any query and any Upgrade is
 * refused 403, the way a least-privilege identity is (the kubelet authorizes {@code /metrics*} as
 * {@code nodes/metrics} and the rest as {@code nodes/proxy}), and counted, so a test can prove nothing asked for one.
 */
final class NodeProxy {
    static final List<String> SERVED = List.of("/metrics", "/metrics/cadvisor", "/metrics/resource", "/metrics/probes");

    private static final long HOUSEKEEPING_MILLIS = 10_000;

    private final ObjectStore<SimNode> nodes;
    private final ObjectStore<SimPod> pods;
    private final long slowMillis;
    private final SimConnections connections;
    /** Every node-proxy request, keyed "node path" (the path as sent, query included). */
    final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    /** The requests refused because their path is not a metrics endpoint. */
    final LongAdder refused = new LongAdder();

    NodeProxy(ObjectStore<SimNode> nodes, ObjectStore<SimPod> pods, long slowMillis, SimConnections connections) {
        this.nodes = nodes;
        this.pods = pods;
        this.slowMillis = slowMillis;
        this.connections = connections;
    }

    /** @param rest what follows {@code /proxy} in the URI, query included */
    void handle(ChannelHandlerContext ctx, HttpRequest req, String id, String rest) {
        if (connections.dropped(ctx)) {
            return;
        }
        String[] parts = id.split(":", -1);
        String name = parts.length == 3 ? parts[1] : parts[0];
        requests.computeIfAbsent(name + " " + rest, k -> new LongAdder()).increment();
        SimNode node = nodes.get("", name);
        if (node == null) {
            Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(SimKind.NODE, name));
            return;
        }
        if (!SERVED.contains(rest) || req.headers().contains(HttpHeaderNames.UPGRADE) || parts.length > 1) {
            refused.increment();
            Replies.status(ctx, req, 403, "Forbidden", "nodes \"" + name + "\" is forbidden: User \"kubescrape\" "
                    + "cannot get resource \"nodes/proxy\" in API group \"\" at the cluster scope");
            return;
        }
        if (!node.ready()) {
            Replies.status(ctx, req, 503, "ServiceUnavailable", "error trying to reach service: dial tcp "
                    + node.internalIp() + ":10250: connect: no route to host");
            return;
        }
        switch (node.fault()) {
            case SLOW -> ctx.executor().schedule(() -> serve(ctx, req, node, rest), slowMillis, TimeUnit.MILLISECONDS);
            case RESET -> Replies.resetMidBody(ctx, Unpooled.wrappedBuffer(body(node, rest)), Replies.METRICS_TYPE,
                    false);
            default -> serve(ctx, req, node, rest);
        }
    }

    /** Node-proxy requests per "node path", in key order. */
    Map<String, Long> requests() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest req, SimNode node, String path) {
        if (!ctx.channel().isActive()) {
            return;
        }
        byte[] body = body(node, path);
        boolean gzip = Replies.acceptsGzip(req);
        ByteBuf buf = Unpooled.wrappedBuffer(gzip ? Replies.gzip(body) : body);
        Replies.metrics(ctx, req, buf, gzip);
    }

    private byte[] body(SimNode node, String path) {
        List<SimPod> onNode = pods.all().stream().filter(p -> p.node().equals(node.name())).toList();
        // Samples carry the time of the kubelet's last housekeeping, every 10 s, as cAdvisor's do: two scrapes in
        // the same 10 s get the same body.
        long now = System.currentTimeMillis() / HOUSEKEEPING_MILLIS * HOUSEKEEPING_MILLIS;
        return switch (path) {
            case "/metrics/cadvisor" -> KubeletBodies.cadvisor(node, onNode, now);
            case "/metrics/resource" -> KubeletBodies.resource(onNode, now);
            case "/metrics/probes" -> KubeletBodies.probes(onNode);
            default -> KubeletBodies.kubelet(node, onNode);
        };
    }
}
