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

    private volatile Predicate<String> tokens;
    private final PodStore store;
    private final ListAndWatch lists;
    private final PodProxy proxy;

    SimHandler(String token, PodStore store, ListAndWatch lists, PodProxy proxy) {
        this.tokens = token::equals;
        this.store = store;
        this.lists = lists;
        this.proxy = proxy;
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
            proxy.handle(ctx, req, m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3));
        } else if ((m = PODS.matcher(path)).matches()) {
            lists.handle(ctx, req, m.group(1));
        } else if ((m = POD.matcher(path)).matches()) {
            SimPod pod = store.get(m.group(1), m.group(2));
            if (pod == null) {
                Replies.json(ctx, req, HttpResponseStatus.NOT_FOUND, ApiDocuments.notFound(m.group(1), m.group(2)));
            } else if (Replies.wantsTable(req)) {
                Replies.send(ctx, req, HttpResponseStatus.OK, Replies.TABLE, Unpooled.wrappedBuffer(
                        ApiDocuments.table(List.of(pod), pod.resourceVersion(), null, true)));
            } else {
                Replies.json(ctx, req, HttpResponseStatus.OK, pod.json());
            }
        } else {
            Replies.status(ctx, req, 404, "NotFound", "the server could not find the requested resource");
        }
    }


    /** The CN of the client certificate of the last authenticated request (null: none), for tests. */
    volatile String lastClientCn;

    /** Test hook: which bearer tokens are accepted from now on. */
    void acceptTokens(Predicate<String> accepted) {
        this.tokens = accepted;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
