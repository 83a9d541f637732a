package io.kubescrape.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scrape relay's contract, on EmbeddedChannels: what goes up, what comes down, and when it reads. */
class ScrapeRelayTest {
    static final String POD_URL = "/clusters/prod/ns/web/pods/web-0/metrics";

    static FullHttpRequest scrape(String uri) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set(HttpHeaderNames.HOST, "127.0.0.1:8080").set(HttpHeaderNames.ACCEPT_ENCODING, "gzip")
                .set(HttpHeaderNames.AUTHORIZATION, "Basic c2NyYXBlcjpzZWNyZXQ=")
                .set(HttpHeaderNames.CONNECTION, "keep-alive")
                .set("Proxy-Authorization", "x")
                .set("X-Prometheus-Scrape-Timeout-Seconds", "10");
        return r;
    }

    static HttpResponse head(int status, String type, Integer length) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set("Keep-Alive", "timeout=5");
        if (length != null) {
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        return r;
    }

    /** A 200 text/plain head with no length, the body to come chunked. */
    private static HttpResponse chunkedHead() {
        HttpResponse r = head(200, "text/plain", null);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        return r;
    }

    private static HttpContent chunk(String s) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    static LastHttpContent last(String s) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    /** A fixture whose scrape of {@link #POD_URL} has gone upstream (the request itself read and let go). */
    private static RelayFixture scraping() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape(POD_URL));
        ReferenceCountUtil.release(f.upstream().readOutbound());
        return f;
    }

    /** The text of the next piece of body written downstream, let go once read. */
    private static String bodyOf(RelayFixture f) {
        return text((HttpContent) f.downstream.readOutbound());
    }

    /** The text of the body's end written downstream, let go once read. */
    private static String endOf(RelayFixture f) {
        return text((LastHttpContent) f.downstream.readOutbound());
    }

    private static String text(HttpContent c) {
        try {
            return c.content().toString(StandardCharsets.UTF_8);
        } finally {
            c.release();
        }
    }

    @Test
    void sendsTheRightUpstreamRequestAndNothingElse() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape(POD_URL));
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.uri()).isEqualTo("/api/v1/namespaces/web/pods/web-0:9100/proxy/metrics");
        assertThat(up.method()).isEqualTo(HttpMethod.GET);
        assertThat(up.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer tok");
        assertThat(up.headers().get(HttpHeaderNames.HOST)).isEqualTo("api.test:6443");
        assertThat(up.headers().get(HttpHeaderNames.ACCEPT_ENCODING)).isEqualTo("gzip");
        assertThat(Double.parseDouble(up.headers().get("X-Prometheus-Scrape-Timeout-Seconds")))
                .isBetween(9.0, 9.75);
        assertThat(up.headers().contains("Proxy-Authorization")).isFalse();
        assertThat(up.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
        up.release();
    }

    @Test
    void upstreamReadsStopWhileDownstreamIsUnwritable() throws Exception {
        RelayFixture f = scraping();
        assertThat(f.reads).isEqualTo(1);

        String abc = "abc".repeat(30_000); // past the tail that may wait for the rest: streamed as it comes
        f.upstream().writeInbound(head(200, "text/plain; version=0.0.4", abc.length() + 6));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(200);
        assertThat(down.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(abc.length() + 6);
        assertThat(down.headers().contains("Keep-Alive")).isFalse();
        assertThat(f.reads).isEqualTo(2);

        f.downstreamWritable(false);
        f.upstream().writeInbound(chunk(abc));
        assertThat(f.reads).as("no upstream read while downstream is unwritable").isEqualTo(2);
        assertThat(bodyOf(f)).isEqualTo(abc);

        f.downstreamWritable(true);
        assertThat(f.reads).as("writability back: read resumes").isEqualTo(3);

        f.upstream().writeInbound(last("defghi"));
        assertThat(endOf(f)).isEqualTo("defghi");
        assertThat(f.released).containsExactly(f.upstream());
        assertThat(f.scrapes("success")).isEqualTo(1);
        assertThat(f.downstream.isOpen()).isTrue();
    }

    @Test
    void aShortBodysHeadAndPiecesGoDownInOneFlush() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(head(200, "text/plain; version=0.0.4", 9));
        f.upstream().writeInbound(chunk("abc"));
        assertThat((Object) f.downstream.readOutbound()).as("the length says 6 bytes are still coming").isNull();
        assertThat(f.reads).as("the upstream is read on meanwhile").isEqualTo(3);

        f.upstream().writeInbound(last("defghi"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(9);
        assertThat(bodyOf(f)).isEqualTo("abc");
        assertThat(endOf(f)).isEqualTo("defghi");
        assertThat(f.scrapes("success")).isEqualTo(1);
    }

    @Test
    void aBodyThatStopsShortStillBreaksOffWithWhatCame() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(head(200, "text/plain; version=0.0.4", 9));
        f.upstream().writeInbound(chunk("abc"));
        f.upstream().close(); // the pod went away after 3 of 9 bytes
        f.downstream.runPendingTasks();
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(200);
        assertThat(bodyOf(f)).isEqualTo("abc");
        assertThat((Object) f.downstream.readOutbound()).as("never an end that makes it look whole").isNull();
        assertThat(f.downstream.isOpen()).isFalse();
        assertThat(f.scrapes("truncated")).isEqualTo(1);
    }

    @Test
    void aChunkedBodyIsFlushedAsItComes() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(chunkedHead());
        f.upstream().writeInbound(chunk("abc"));
        assertThat((HttpResponse) f.downstream.readOutbound()).isNotNull();
        assertThat(bodyOf(f)).isEqualTo("abc");
    }

    @Test
    void aBodyWithoutLengthIsRelayedChunked() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(chunkedHead());
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        assertThat(down.headers().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
    }

    @Test
    void anHttp10CallerGetsAnUnframedBodyEndedByClose() throws Exception {
        RelayFixture f = new RelayFixture();
        FullHttpRequest req = scrape(POD_URL);
        req.setProtocolVersion(HttpVersion.HTTP_1_0);
        f.downstream.writeInbound(req);
        ReferenceCountUtil.release(f.upstream().readOutbound());
        HttpResponse r = head(200, "text/plain", null);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        f.upstream().writeInbound(r);
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(down.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
        assertThat(down.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        f.upstream().writeInbound(last("body"));
        ReferenceCountUtil.release(f.downstream.readOutbound());
        assertThat(f.downstream.isOpen()).isFalse();
    }

    @Test
    void aBodyThatBreaksOffClosesTheDownstreamWithoutEnding() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(head(200, "text/plain", 100));
        f.upstream().writeInbound(chunk("partial"));
        f.upstream().close();
        assertThat(f.downstream.isOpen()).isFalse();
        Object o;
        while ((o = f.downstream.readOutbound()) != null) {
            assertThat(o).isNotInstanceOf(LastHttpContent.class);
            ReferenceCountUtil.release(o);
        }
        assertThat(f.scrapes("truncated")).isEqualTo(1);
        assertThat(f.released).isEmpty();
    }

    @Test
    void apiServerStatusBecomesAnErrorNamingTheHop() throws Exception {
        RelayFixture f = scraping();
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"error trying to reach service: dial tcp 10.0.0.9:9100: connect: connection refused\","
                + "\"reason\":\"ServiceUnavailable\",\"code\":503}";
        f.upstream().writeInbound(head(503, "application/json", status.length()));
        f.upstream().writeInbound(last(status));
        FullHttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(503);
        assertThat(down.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain");
        assertThat(down.content().toString(StandardCharsets.UTF_8))
                .startsWith("pod: the API server could not reach the pod (cluster prod)")
                .contains("connection refused");
        down.release();
        assertThat(f.released).hasSize(1);
        assertThat(f.scrapes("pod_unreachable")).isEqualTo(1);
    }

    @Test
    void aPodsOwnErrorPassesThroughUnchanged() throws Exception {
        RelayFixture f = scraping();
        String body = "{\"error\":\"collector failed\"}";
        f.upstream().writeInbound(head(500, "application/json", body.length()));
        f.upstream().writeInbound(last(body));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(500);
        assertThat(down.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(endOf(f)).isEqualTo(body);
        assertThat(f.scrapes("pod_error")).isEqualTo(1);
    }

    @Test
    void noResponseInTimeIs504AndTheConnectionIsNotPooled() throws Exception {
        RelayFixture f = new RelayFixture();
        FullHttpRequest req = scrape(POD_URL);
        req.headers().set("X-Prometheus-Scrape-Timeout-Seconds", "1");
        f.downstream.writeInbound(req);
        ReferenceCountUtil.release(f.upstream().readOutbound());
        f.downstream.advanceTimeBy(1, TimeUnit.SECONDS);
        f.downstream.runScheduledPendingTasks();
        FullHttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(504);
        assertThat(down.content().toString(StandardCharsets.UTF_8)).contains("750 ms");
        down.release();
        assertThat(f.discarded).containsExactly(f.upstream());
        assertThat(f.released).isEmpty();
        assertThat(f.scrapes("timeout")).isEqualTo(1);
    }

    @Test
    void aConnectionClosedBeforeAnyResponseByteIsRetriedOnceFresh() throws Exception {
        RelayFixture f = scraping();
        f.upstream().close();
        assertThat(f.upstreams).hasSize(2);
        assertThat(f.freshFlags).containsExactly(false, true);
        ReferenceCountUtil.release(f.upstream().readOutbound());
        f.upstream().writeInbound(head(200, "text/plain", 2));
        f.upstream().writeInbound(last("ok"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(200);
        assertThat(f.scrapes("success")).isEqualTo(1);

        // A second break without a response is not retried again: it fails with 502.
        RelayFixture g = new RelayFixture();
        g.downstream.writeInbound(scrape(POD_URL));
        ReferenceCountUtil.release(g.upstream().readOutbound());
        g.upstream().close();
        ReferenceCountUtil.release(g.upstream().readOutbound());
        g.upstream().close();
        FullHttpResponse failed = g.downstream.readOutbound();
        assertThat(failed.status().code()).isEqualTo(502);
        failed.release();
    }

    @Test
    void aScraperThatLeavesMidStreamReleasesNothingToThePool() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(head(200, "text/plain", 100));
        f.downstream.close();
        assertThat(f.discarded).containsExactly(f.upstream());
        assertThat(f.upstream().isOpen()).isFalse();
        assertThat(f.scrapes("downstream_closed")).isEqualTo(1);
    }

    @Test
    void headIsRelayedAsHead() throws Exception {
        RelayFixture f = new RelayFixture();
        FullHttpRequest req = scrape(POD_URL);
        req.setMethod(HttpMethod.HEAD);
        f.downstream.writeInbound(req);
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.method()).isEqualTo(HttpMethod.HEAD);
        up.release();
    }

    @Test
    void interimResponsesAreConsumedAndTheFinalOneRelayed() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        f.upstream().writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        HttpResponse hints = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103));
        hints.headers().set("Link", "</style.css>; rel=preload");
        f.upstream().writeInbound(hints);
        f.upstream().writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat((Object) f.downstream.readOutbound()).as("no interim response goes downstream").isNull();

        f.upstream().writeInbound(head(200, "text/plain", 2));
        f.upstream().writeInbound(last("ok"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).as("the final response, not the first").isEqualTo(200);
        assertThat(down.headers().contains("Link")).isFalse();
        assertThat(endOf(f)).isEqualTo("ok");
        assertThat(f.scrapes("success")).isEqualTo(1);
    }

    @Test
    void aProtocolSwitchIs502AndTheConnectionIsClosedNotRetried() throws Exception {
        RelayFixture f = scraping();
        f.upstream().writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
        FullHttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(502);
        assertThat(down.headers().get("X-Kubescrape-Outcome")).isEqualTo("upstream_error");
        assertThat(down.content().toString(StandardCharsets.UTF_8)).contains("101 Switching Protocols");
        down.release();
        assertThat(f.upstream().isOpen()).as("no longer HTTP: closed").isFalse();
        assertThat(f.upstreams).as("a protocol switch is not retried").hasSize(1);
        assertThat(f.released).isEmpty();
    }

    @Test
    void headersTheCallerNamesInConnectionAreNotForwarded() throws Exception {
        RelayFixture f = new RelayFixture();
        FullHttpRequest r = scrape(POD_URL);
        r.headers().set(HttpHeaderNames.CONNECTION, "keep-alive, Accept-Encoding");
        f.downstream.writeInbound(r);
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.headers().contains(HttpHeaderNames.ACCEPT_ENCODING)).as("hop-by-hop once named in Connection")
                .isFalse();
        up.release();
    }

    @Test
    void anUpgradeNeverGoesUpstream() throws Exception {
        // A GET with an Upgrade reaches exec through a kubelet's proxy; no such header may leave kubescrape.
        RelayFixture f = new RelayFixture();
        FullHttpRequest r = scrape(POD_URL);
        r.headers().set(HttpHeaderNames.CONNECTION, "Upgrade").set(HttpHeaderNames.UPGRADE, "websocket")
                .set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").set("Sec-WebSocket-Version", "13")
                .set("Sec-WebSocket-Protocol", "v4.channel.k8s.io");
        f.downstream.writeInbound(r);
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.headers().names()).noneMatch(n -> n.equalsIgnoreCase("Upgrade")
                || n.equalsIgnoreCase("Connection") || n.toLowerCase(Locale.ROOT).startsWith("sec-websocket"));
        up.release();
    }
}
