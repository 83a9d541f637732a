package io.kubescrape.server;

import io.kubescrape.cluster.Cluster;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** kubescrape's own endpoints: {@code /metrics}, {@code /-/healthy}, {@code /-/ready} and the index page. */
final class AdminRoutes {
    private final ProxyState state;

    AdminRoutes(ProxyState state) {
        this.state = state;
    }

    /** The response for an admin path, or null when the path is none of them. */
    FullHttpResponse handle(HttpRequest request, String path, ByteBufAllocator alloc) {
        switch (path) {
            case "/metrics": {
                String accept = request.headers().get(HttpHeaderNames.ACCEPT);
                return Responses.text(alloc, HttpResponseStatus.OK,
                        io.kubescrape.metrics.ProxyMetrics.contentType(accept), state.metrics().scrape(accept));
            }
            case "/-/healthy":
                return Responses.plain(alloc, HttpResponseStatus.OK, "kubescrape is healthy.\n");
            case "/-/ready":
                return state.serving()
                        ? Responses.plain(alloc, HttpResponseStatus.OK, "kubescrape is ready.\n")
                        : Responses.plain(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, "kubescrape is starting.\n");
            case "/":
                return Responses.plain(alloc, HttpResponseStatus.OK, index());
            default:
                return null;
        }
    }

    private String index() {
        StringBuilder sb = new StringBuilder("kubescrape: scrape Kubernetes pods through their API servers\n\n");
        sb.append("scrape a pod:  GET /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics\n");
        sb.append("own metrics:   GET /metrics\nhealth:        GET /-/healthy, GET /-/ready\n\nclusters:\n");
        for (Cluster c : state.clusters().all()) {
            sb.append("  ").append(c.name()).append("  ").append(c.spec().server()).append('\n');
        }
        return sb.toString();
    }
}
