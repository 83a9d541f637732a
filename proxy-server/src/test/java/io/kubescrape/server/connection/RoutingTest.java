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
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        r.headers().set(HttpHeaderNames.HOST, "127.0.0.1:8080");
        f.downstream.writeInbound(r);
        return f.downstream.readOutbound();
    }

    private static FullHttpResponse raw(HttpVersion version, String uri, String... hosts) {
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(version, HttpMethod.GET, uri);
        for (String host : hosts) {
            r.headers().add(HttpHeaderNames.HOST, host);
        }
        RelayFixture f;
        try {
            f = new RelayFixture();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        f.downstream.writeInbound(r);
        FullHttpResponse out = f.downstream.readOutbound();
        assertThat(f.upstreams).as("nothing went upstream").isEmpty();
        assertThat(f.downstream.isOpen()).as("a malformed request closes the connection").isFalse();
        return out;
    }

    @Test
    void requestsRfc9112RefusesAreRefusedBeforeRouting() {
        String pod = "/clusters/prod/ns/web/pods/web-0/metrics";
        FullHttpResponse noHost = raw(HttpVersion.HTTP_1_1, pod);
        assertThat(noHost.status().code()).isEqualTo(400);
        assertThat(body(noHost)).isEqualTo("kubescrape: an HTTP/1.1 request needs exactly one Host header, this one "
                + "has 0\n");
        FullHttpResponse twoHosts = raw(HttpVersion.HTTP_1_1, pod, "a.example", "b.example");
        assertThat(twoHosts.status().code()).isEqualTo(400);
        twoHosts.release();
        FullHttpResponse http2 = raw(new HttpVersion("HTTP", 2, 0, true), pod, "x");
        assertThat(http2.status().code()).isEqualTo(505);
        assertThat(http2.headers().get("X-Kubescrape-Outcome")).isEqualTo("version_not_supported");
        http2.release();
        FullHttpResponse absolute = raw(HttpVersion.HTTP_1_1, "http://api.internal:6443" + pod, "x");
        assertThat(absolute.status().code()).as("400, never a misleading 404").isEqualTo(400);
        assertThat(body(absolute)).contains("must be a path");
        FullHttpResponse http10 = raw(HttpVersion.HTTP_1_0, "/nowhere");
        assertThat(http10.status().code()).as("HTTP/1.0 needs no Host").isEqualTo(404);
        http10.release();
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
        unreadable.headers().set(HttpHeaderNames.HOST, "x");
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
