package io.kubescrape.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ScrapeSettings;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a caller gets for every route that is not a relayed scrape. */
class RoutingTest {
    private static FullHttpResponse call(RelayFixture f, HttpMethod method, String uri) {
        f.downstream.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        return f.downstream.readOutbound();
    }

    private static String body(FullHttpResponse r) {
        String s = r.content().toString(StandardCharsets.UTF_8);
        r.release();
        return s;
    }

    @Test
    void errorsComeFromTheTable() throws Exception {
        RelayFixture f = new RelayFixture();
        FullHttpResponse bad = call(f, HttpMethod.GET, "/clusters/prod/ns/web/pods/..%2f/metrics");
        assertThat(bad.status().code()).isEqualTo(400);
        assertThat(bad.headers().get("X-Kubescrape-Outcome")).isEqualTo("invalid_target");
        assertThat(body(bad)).startsWith("kubescrape: percent-encoded");

        FullHttpResponse unknown = call(f, HttpMethod.GET, "/clusters/staging/ns/web/pods/web-0/metrics");
        assertThat(unknown.status().code()).isEqualTo(404);
        assertThat(body(unknown)).contains("no cluster named \"staging\"");

        FullHttpResponse post = call(f, HttpMethod.POST, "/clusters/prod/ns/web/pods/web-0/metrics");
        assertThat(post.status().code()).isEqualTo(405);
        assertThat(post.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        post.release();

        FullHttpResponse nowhere = call(f, HttpMethod.GET, "/api/v1/namespaces/kube-system/secrets");
        assertThat(nowhere.status().code()).isEqualTo(404);
        assertThat(body(nowhere)).contains("no route");
        assertThat(f.upstreams).as("no request ever went upstream").isEmpty();
    }

    @Test
    void requestLevelErrorsComeFromTheSameTable() throws Exception {
        RelayFixture f = new RelayFixture();
        DefaultFullHttpRequest unreadable = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        unreadable.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line too long")));
        f.downstream.writeInbound(unreadable);
        FullHttpResponse longLine = f.downstream.readOutbound();
        assertThat(longLine.status().code()).isEqualTo(414);
        assertThat(longLine.headers().get("X-Kubescrape-Outcome")).isEqualTo("uri_too_long");
        assertThat(body(longLine)).isEqualTo("kubescrape: the request line is longer than this server accepts "
                + "(limits.max_uri_length)\n");

        RelayFixture g = new RelayFixture();
        FullHttpResponse query = call(g, HttpMethod.GET, "/sd?shard=1");
        assertThat(query.status().code()).isEqualTo(400);
        assertThat(query.headers().get("X-Kubescrape-Outcome")).isEqualTo("invalid_query");
        assertThat(body(query)).isEqualTo("kubescrape: shard and shards go together\n");

        FullHttpResponse reload = call(g, HttpMethod.POST, "/-/reload");
        assertThat(reload.status().code()).isEqualTo(405);
        assertThat(reload.headers().get("X-Kubescrape-Outcome")).isEqualTo("method_not_allowed");
        reload.release();
    }

    @Test
    void closedNamespacesAreRefusedBeforeAnythingGoesUpstream() throws Exception {
        RelayFixture f = new RelayFixture(new ScrapeSettings(null, null, null, null, null,
                List.of("*"), List.of("kube-*", "web")).orElse(
                ScrapeSettings.BUILTIN));
        FullHttpResponse r = call(f, HttpMethod.GET, "/clusters/prod/ns/web/pods/web-0/metrics");
        assertThat(r.status().code()).isEqualTo(403);
        assertThat(body(r)).contains("namespace web of cluster prod is closed to scraping");
        assertThat(f.upstreams).isEmpty();
    }

    @Test
    void adminEndpoints() throws Exception {
        RelayFixture f = new RelayFixture();
        assertThat(body(call(f, HttpMethod.GET, "/-/healthy"))).contains("healthy");
        FullHttpResponse ready = call(f, HttpMethod.GET, "/-/ready");
        assertThat(ready.status().code()).isEqualTo(200);
        ready.release();
        FullHttpResponse metrics = call(f, HttpMethod.GET, "/metrics");
        assertThat(metrics.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain; version=0.0.4");
        assertThat(body(metrics)).contains("kubescrape_upstream_connections{cluster=\"prod\",state=\"open\"}")
                .contains("jvm_memory_used_bytes");
        assertThat(body(call(f, HttpMethod.GET, "/"))).contains("prod").contains("https://api.test:6443");
    }
}
