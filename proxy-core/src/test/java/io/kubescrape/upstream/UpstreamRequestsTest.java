package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrape request in both its forms: prepared bytes (HTTP/1.1 GET) and request object (HEAD, HTTP/2). */
class UpstreamRequestsTest {
    private static final ClusterSpec SPEC = new ClusterSpec("prod",
            URI.create("https://api.test:6443/k8s/clusters/c-1"), "test", new TlsSettings(null, false, null, null, null),
            new CredentialSpec("tok", null), ScrapeSettings.BUILTIN, UpstreamSettings.BUILTIN, DiscoverySettings.OFF);
    private static final String PATH = "/api/v1/namespaces/web/pods/web-0:9100/proxy/metrics";

    private static HttpHeaders scraper() {
        return new DefaultHttpHeaders()
                .set("Accept", "application/openmetrics-text;version=1.0.0")
                .set("Accept-Encoding", "gzip")
                .set("User-Agent", "Prometheus/2.53.0")
                .set("Authorization", "Bearer the-scraper-s-own")
                .set("Connection", "keep-alive")
                .set("X-Forwarded-For", "10.1.1.1");
    }

    @Test
    void preparedBytesAreTheSameRequestAsTheObject() {
        ByteBuf bytes = UpstreamRequests.scrapeGet(ByteBufAllocator.DEFAULT, SPEC, PATH, scraper(), "Bearer tok", 9.75);
        EmbeddedChannel server = new EmbeddedChannel(new HttpRequestDecoder());
        server.writeInbound(bytes);
        HttpRequest decoded = server.readInbound();
        LastHttpContent end = server.readInbound();
        FullHttpRequest object = UpstreamRequests.scrape(SPEC, HttpMethod.GET, PATH, scraper(), "Bearer tok", 9.75);

        assertThat(decoded.decoderResult().isSuccess()).isTrue();
        assertThat(decoded.method()).isEqualTo(HttpMethod.GET);
        assertThat(decoded.uri()).isEqualTo("/k8s/clusters/c-1" + PATH).isEqualTo(object.uri());
        assertThat(entries(decoded.headers())).isEqualTo(entries(object.headers())).containsExactly(
                "host: api.test:6443",
                "accept: application/openmetrics-text;version=1.0.0",
                "user-agent: Prometheus/2.53.0",
                "accept-encoding: gzip",
                "x-prometheus-scrape-timeout-seconds: 9.75",
                "authorization: Bearer tok");
        assertThat(end.content().readableBytes()).isZero();
        end.release();
        object.release();
        assertThat(server.finishAndReleaseAll()).isFalse();
    }

    @Test
    void scraperWithoutAcceptOrAgentGetsOurs() {
        ByteBuf bytes = UpstreamRequests.scrapeGet(ByteBufAllocator.DEFAULT, SPEC, PATH, new DefaultHttpHeaders(), null,
                10);
        String head = bytes.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        bytes.release();
        assertThat(head).startsWith("get /k8s/clusters/c-1" + PATH + " http/1.1\r\nhost: api.test:6443\r\n")
                .contains("\r\naccept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;")
                .contains("\r\nuser-agent: kubescrape/")
                .endsWith("\r\nx-prometheus-scrape-timeout-seconds: 10\r\n\r\n")
                .doesNotContain("authorization", "accept-encoding");
    }

    @Test
    void getAndHeadExchangesStayInStepOnAnHttp11Connection() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpstreamCodec(), new UpstreamHandler());
        List<Object> seen = new ArrayList<>();
        UpstreamHandler.of(ch).attach(recorder(seen));

        assertThat(exchange(ch, HttpMethod.GET, "Content-Length: 5\r\n\r\nup 1\n", seen))
                .startsWith("GET /k8s/clusters/c-1" + PATH + " HTTP/1.1\r\n");
        assertThat(seen).containsExactly("200", "up 1\n", "end");
        // HEAD still goes through the codec, whose decoder must know the next response has no body.
        assertThat(exchange(ch, HttpMethod.HEAD, "Content-Length: 5\r\n\r\n", seen))
                .startsWith("HEAD /k8s/clusters/c-1" + PATH + " HTTP/1.1\r\n");
        assertThat(seen).containsExactly("200", "", "end");
        // And the connection is in step for the next GET.
        exchange(ch, HttpMethod.GET, "Content-Length: 3\r\n\r\nok\n", seen);
        assertThat(seen).containsExactly("200", "ok\n", "end");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /** Sends a scrape, answers it with a 200 and the given rest, and returns the request as sent. */
    private static String exchange(EmbeddedChannel ch, HttpMethod method, String rest, List<Object> seen) {
        seen.clear();
        UpstreamHandler.of(ch).sendScrape(SPEC, method, PATH, scraper(), "Bearer tok", 5);
        ByteBuf sent = ch.readOutbound();
        String request = sent.toString(StandardCharsets.ISO_8859_1);
        sent.release();
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n" + rest, StandardCharsets.ISO_8859_1));
        return request;
    }

    @Test
    void handlerSendsObjectsWhereThereIsNoHttp11Codec() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpstreamHandler()); // as an HTTP/2 stream's pipeline ends
        UpstreamHandler.of(ch).sendScrape(SPEC, HttpMethod.GET, PATH, scraper(), null, 5);
        HttpRequest r = ch.readOutbound();
        assertThat(r.uri()).isEqualTo("/k8s/clusters/c-1" + PATH);
        ReferenceCountUtil.release(r);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static List<String> entries(HttpHeaders h) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : h) {
            out.add(e.getKey().toLowerCase(Locale.ROOT) + ": " + e.getValue());
        }
        return out;
    }

    private static UpstreamExchange recorder(List<Object> seen) {
        return new UpstreamExchange() {
            @Override
            public void onResponse(HttpResponse r) {
                seen.add(String.valueOf(r.status().code()));
            }

            @Override
            public void onContent(HttpContent c) {
                seen.add(c.content().toString(StandardCharsets.ISO_8859_1));
                if (c instanceof LastHttpContent) {
                    seen.add("end");
                }
                c.release();
            }

            @Override
            public void onReadComplete() {
            }

            @Override
            public void onBroken(Throwable cause) {
                seen.add("broken: " + cause);
            }
        };
    }
}
