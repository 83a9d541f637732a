package io.kubescrape.server.admin;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.route.Target;
import io.kubescrape.route.TargetParser;
import io.kubescrape.sd.SdQuery;
import io.kubescrape.sd.ServiceDiscovery;
import io.kubescrape.server.auth.Authorize;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.http.Responses;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.state.Addresses;
import io.kubescrape.server.state.LiveConfig;
import io.kubescrape.server.state.Serving;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * kubescrape's own endpoints: {@code /metrics}, {@code /-/healthy}, {@code /-/ready}, {@code /sd}, the index page
 * and the browse UI. One instance serves every connection: it holds only what it reads.
 */
public final class AdminRoutes {
    private final LiveConfig config;
    private final ProxyMetrics metrics;
    private final ServiceDiscovery sd;
    private final Serving serving;
    private final Addresses addresses;
    private final BrowsePages pages;

    public AdminRoutes(LiveConfig config, ProxyMetrics metrics, ServiceDiscovery sd, Serving serving,
                       Addresses addresses, LastScrapes lastScrapes) {
        this.config = config;
        this.metrics = metrics;
        this.sd = sd;
        this.serving = serving;
        this.addresses = addresses;
        this.pages = new BrowsePages(config, sd, lastScrapes);
    }

    /** The response for an admin path, or null when the path is none of them. */
    public FullHttpResponse handle(HttpRequest request, String path, ByteBufAllocator alloc, Callers.Caller caller) {
        switch (path) {
            case "/metrics": {
                Authorize.grant(caller, "metrics"); // it spans every cluster
                String accept = request.headers().get(HttpHeaderNames.ACCEPT);
                return Responses.text(alloc, HttpResponseStatus.OK,
                        ProxyMetrics.contentType(accept), metrics.scrape(accept));
            }
            case "/-/healthy":
                return Responses.plain(alloc, HttpResponseStatus.OK, "kubescrape is healthy.\n");
            case "/-/ready":
                return serving.ready(config, sd)
                        ? Responses.plain(alloc, HttpResponseStatus.OK, "kubescrape is ready.\n")
                        : Responses.error(alloc, new ScrapeException(ScrapeOutcome.NOT_READY));
            case "/sd":
                return sd(request, alloc, caller);
            case "/": {
                String accept = request.headers().get(HttpHeaderNames.ACCEPT);
                return accept != null && accept.contains("text/html") ? html(alloc, pages.index(caller))
                        : Responses.plain(alloc, HttpResponseStatus.OK, index(caller));
            }
            case "/ui/app.css":
                return Responses.text(alloc, HttpResponseStatus.OK, "text/css; charset=utf-8", UiAssets.CSS);
            case "/ui/app.js":
                return Responses.text(alloc, HttpResponseStatus.OK, "text/javascript; charset=utf-8", UiAssets.JS);
            default:
                return path.startsWith("/ui/clusters/") ? ui(request, path, alloc, caller) : null;
        }
    }

    /** /ui/clusters/{c} (a pod table) and /ui + any scrape path (that target's metrics). */
    private FullHttpResponse ui(HttpRequest request, String path, ByteBufAllocator alloc, Callers.Caller caller) {
        String rest = path.substring("/ui".length());
        String[] parts = rest.split("/", -1);
        if (parts.length == 3) {
            Cluster c = Authorize.visibleCluster(caller, parts[2], config.clusters());
            List<String> q = new QueryStringDecoder(request.uri()).parameters().get("q");
            return html(alloc, pages.cluster(c, q == null || q.isEmpty() ? null : q.get(0), caller));
        }
        Target target = TargetParser.parse(rest); // the same validation as a scrape: 400 for anything else
        Authorize.scrape(caller, target, config.clusters());
        return html(alloc, pages.metricsView(target));
    }

    private static FullHttpResponse html(ByteBufAllocator alloc, String page) {
        FullHttpResponse r = Responses.text(alloc, HttpResponseStatus.OK, "text/html; charset=utf-8", page);
        r.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .set("X-Content-Type-Options", "nosniff").set("Referrer-Policy", "no-referrer");
        return r;
    }

    /** Prometheus HTTP SD: every target, filtered by cluster, namespace and shard; always 200 JSON when valid. */
    private FullHttpResponse sd(HttpRequest request, ByteBufAllocator alloc, Callers.Caller caller) {
        long t0 = System.nanoTime();
        SdQuery query;
        try {
            query = SdQuery.parse(new QueryStringDecoder(request.uri()).parameters());
            if (caller.spec() != null) {
                query = query.forCaller(caller.name(), caller::sees);
            }
        } catch (IllegalArgumentException e) {
            return Responses.error(alloc, new ScrapeException(ScrapeOutcome.INVALID_QUERY, e.getMessage()));
        }
        String address = addresses.forCaller(request.headers().get(HttpHeaderNames.HOST));
        ServiceDiscovery.Document doc = sd.render(query, address);
        byte[] json = doc.json();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(json));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        metrics.sdServed(System.nanoTime() - t0, doc.fresh());
        return r;
    }

    private String index(Callers.Caller caller) {
        StringBuilder sb = new StringBuilder("kubescrape: scrape Kubernetes pods through their API servers\n\n");
        sb.append("scrape a pod:  GET /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics\n");
        sb.append("a node:        GET /clusters/<cluster>/nodes/<node>/metrics[/cadvisor|/resource|/probes]\n");
        sb.append("API server:    GET /clusters/<cluster>/apiserver/metrics\n");
        sb.append("targets:       GET /sd[?role=pod,node,apiserver]\n");
        sb.append("own metrics:   GET /metrics\nhealth:        GET /-/healthy, GET /-/ready\n\nclusters:\n");
        for (Cluster c : config.clusters().all()) {
            if (!caller.allows(c.name(), null)) {
                continue; // a cluster outside the caller's grant is not even named
            }
            sb.append("  ").append(c.name()).append("  ").append(c.spec().server()).append('\n');
        }
        return sb.toString();
    }
}
