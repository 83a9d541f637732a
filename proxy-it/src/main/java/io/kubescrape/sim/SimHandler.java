package io.kubescrape.sim;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes the simulated API server's requests: authentication first (bearer token or client certificate). */
@ChannelHandler.Sharable
final class SimHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Pattern PODS = Pattern.compile("^/api/v1/(?:namespaces/([a-z0-9-]+)/)?pods$");
    private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([a-z0-9-]+)/pods/([a-z0-9.-]+)$");
    private static final Pattern PROXY =
            Pattern.compile("^/api/v1/namespaces/([a-z0-9-]+)/pods/([a-z0-9.:-]+)/proxy(/.*)?$");
    private static final Pattern NODE = Pattern.compile("^/api/v1/nodes/([^/]+)$");
    /** Any node id and any rest, so that what a client sends is seen (and refused) rather than not matched. */
    private static final Pattern NODE_PROXY = Pattern.compile("^/api/v1/nodes/([^/]+)/proxy(.*)$");

    private volatile Predicate<String> tokens;
    /** The cluster's objects by kind. */
    record Stores(ObjectStore<SimPod> pods, ObjectStore<SimNode> nodes, ObjectStore<SimService> services,
                  ObjectStore<SimEndpointSlice> slices) {
    }

    private static final Pattern SERVICES = Pattern.compile("^/api/v1/(?:namespaces/([a-z0-9-]+)/)?services$");
    private static final Pattern SLICES =
            Pattern.compile("^/apis/discovery\\.k8s\\.io/v1/(?:namespaces/([a-z0-9-]+)/)?endpointslices$");

    private final ObjectStore<SimPod> store;
    private final ObjectStore<SimNode> nodes;
    private final ListAndWatch<SimPod> lists;
    private final ListAndWatch<SimNode> nodeLists;
    private final ListAndWatch<SimService> serviceLists;
    private final ListAndWatch<SimEndpointSlice> sliceLists;
    private final PodProxy proxy;
    private final NodeProxy nodeProxy;
    final ApiServerMetrics apiMetrics = new ApiServerMetrics();

    SimHandler(String token, Stores stores, PodProxy proxy, NodeProxy nodeProxy) {
        this.tokens = token::equals;
        this.store = stores.pods();
        this.nodes = stores.nodes();
        this.lists = new ListAndWatch<>(store);
        this.nodeLists = new ListAndWatch<>(nodes);
        this.serviceLists = new ListAndWatch<>(stores.services());
        this.sliceLists = new ListAndWatch<>(stores.slices());
        this.proxy = proxy;
        this.nodeProxy = nodeProxy;
    }

    /** Pod lists (pages) served since the start. */
    long podLists() {
        return lists.lists.sum();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (path.equals("/version") || path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
            // Public, as system:public-info-viewer makes them on real clusters.
            if (path.equals("/version")) {
                Replies.json(ctx, req, HttpResponseStatus.OK, ApiDocuments.VERSION);
            } else {
                Replies.send(ctx, req, HttpResponseStatus.OK, "text/plain", Unpooled.copiedBuffer("ok",
                        StandardCharsets.UTF_8));
            }
            return;
        }
        if (!ApiAuth.authenticated(ctx, req, tokens)) {
            Replies.status(ctx, req, 401, "Unauthorized", "Unauthorized");
            return;
        }
        lastClientCn = ApiAuth.clientCn(ctx);
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            Replies.status(ctx, req, 405, "MethodNotAllowed", "the server does not allow this method on the "
                    + "requested resource");
            return;
        }
        Matcher m;
        if (path.equals("/api")) {
            Replies.json(ctx, req, HttpResponseStatus.OK, ApiDocuments.API_VERSIONS);
        } else if (path.equals("/apis")) {
            Replies.json(ctx, req, HttpResponseStatus.OK, ApiDocuments.API_GROUPS);
        } else if (path.equals("/api/v1")) {
            Replies.json(ctx, req, HttpResponseStatus.OK, ApiDocuments.CORE_RESOURCES);
        } else if ((m = PROXY.matcher(path)).matches()) {
            apiMetrics.record("CONNECT", "pods", "proxy", 200);
            proxy.handle(ctx, req, m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3));
        } else if ((m = NODE_PROXY.matcher(req.uri())).matches()) {
            apiMetrics.record("CONNECT", "nodes", "proxy", 200);
            nodeProxy.handle(ctx, req, m.group(1), m.group(2));
        } else if (path.equals("/metrics")) {
            apiMetrics.record("GET", "", "", 200);
            Replies.metrics(ctx, req, Unpooled.wrappedBuffer(apiMetrics.body(store.all().size(), nodes.all().size(),
                    store.openWatches() + nodes.openWatches())), false);
        } else if ((m = PODS.matcher(path)).matches()) {
            apiMetrics.record(isWatch(req) ? "WATCH" : "LIST", "pods", "", 200);
            lists.handle(ctx, req, m.group(1));
        } else if ((m = SERVICES.matcher(path)).matches()) {
            listOrForbid(ctx, req, "services", serviceLists, m.group(1));
        } else if ((m = SLICES.matcher(path)).matches()) {
            listOrForbid(ctx, req, "endpointslices", sliceLists, m.group(1));
        } else if (path.equals("/apis/discovery.k8s.io/v1")) {
            Replies.json(ctx, req, HttpResponseStatus.OK, ApiDocuments.DISCOVERY_RESOURCES);
        } else if (path.equals("/api/v1/nodes")) {
            listOrForbid(ctx, req, "nodes", nodeLists, null);
        } else if ((m = NODE.matcher(path)).matches()) {
            apiMetrics.record("GET", "nodes", "", 200);
            SimNode node = nodes.get("", m.group(1));
            if (node == null) {
                Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(SimKind.NODE, m.group(1)));
            } else {
                Replies.json(ctx, req, HttpResponseStatus.OK, node.json());
            }
        } else if ((m = POD.matcher(path)).matches()) {
            apiMetrics.record("GET", "pods", "", 200);
            SimPod pod = store.get(m.group(1), m.group(2));
            if (pod == null) {
                Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(SimKind.POD, m.group(2)));
            } else if (Replies.wantsTable(req)) {
                Replies.send(ctx, req, HttpResponseStatus.OK, Replies.TABLE, Unpooled.wrappedBuffer(
                        ApiDocuments.table(SimKind.POD, List.of(pod), pod.resourceVersion(), null, true)));
            } else {
                Replies.json(ctx, req, HttpResponseStatus.OK, pod.json());
            }
        } else {
            Replies.status(ctx, req, 404, "NotFound", "the server could not find the requested resource");
        }
    }


    /** A list or watch, or the 403 a missing RBAC rule would give (test hook {@link #forbidden}). */
    private void listOrForbid(ChannelHandlerContext ctx, FullHttpRequest req, String resource,
                              ListAndWatch<?> lw, String namespace) {
        String verb = isWatch(req) ? "watch" : "list";
        if (forbidden.contains(resource)) {
            apiMetrics.record(verb.toUpperCase(Locale.ROOT), resource, "", 403);
            Replies.status(ctx, req, 403, "Forbidden", resource + " is forbidden: User \"kubescrape\" cannot " + verb
                    + " resource \"" + resource + "\" in API group \"" + (resource.equals("endpointslices")
                    ? "discovery.k8s.io" : "") + "\" " + (namespace == null ? "at the cluster scope"
                    : "in the namespace \"" + namespace + "\""));
            return;
        }
        apiMetrics.record(verb.toUpperCase(Locale.ROOT), resource, "", 200);
        lw.handle(ctx, req, namespace);
    }

    private static boolean isWatch(FullHttpRequest req) {
        String w = ListAndWatch.param(new QueryStringDecoder(req.uri()), "watch");
        return "1".equals(w) || "true".equals(w);
    }

    /** The CN of the client certificate of the last authenticated request (null: none), for tests. */
    volatile String lastClientCn;

    /** Resources whose list and watch are refused 403, as with a missing RBAC rule (test hook). */
    final Set<String> forbidden = ConcurrentHashMap.newKeySet();

    /** Test hook: which bearer tokens are accepted from now on. */
    void acceptTokens(Predicate<String> accepted) {
        this.tokens = accepted;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
