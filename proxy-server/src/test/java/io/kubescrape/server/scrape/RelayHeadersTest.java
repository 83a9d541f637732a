package io.kubescrape.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** What of an upstream response head reaches the scraper: end-to-end headers only, framing chosen safely. */
class RelayHeadersTest {
    private static HttpResponse upstream(String connection) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("Content-Type", "text/plain; version=0.0.4").set("Content-Length", "12")
                .set("Keep-Alive", "timeout=5").set("X-Pod-Secret", "s").set("X-Exporter", "node");
        if (connection != null) {
            r.headers().set("Connection", connection);
        }
        return r;
    }

    @Test
    void headersNamedInConnectionAreHopByHopToo() {
        HttpResponse out = RelayHeaders.downstream(upstream("Keep-Alive, X-Pod-Secret"), true, false, true);
        assertThat(out.headers().names()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "X-Exporter");
    }

    @Test
    void theUsualConnectionValuesDropOnlyTheHopByHopHeaders() {
        for (String c : new String[] {"keep-alive", "Keep-Alive", "close", null}) {
            HttpResponse out = RelayHeaders.downstream(upstream(c), true, false, true);
            assertThat(out.headers().names()).as(String.valueOf(c))
                    .containsExactlyInAnyOrder("Content-Type", "Content-Length", "X-Pod-Secret", "X-Exporter");
            assertThat(out.headers().get("Content-Length")).isEqualTo("12");
        }
    }

    @Test
    void aBodyWithoutLengthIsChunkedForHttp11AndClosedForAnHttp10Caller() {
        HttpResponse r = upstream(null);
        r.headers().remove("Content-Length");
        assertThat(RelayHeaders.downstream(r, true, false, true).headers().get("Transfer-Encoding"))
                .isEqualTo("chunked");
        HttpResponse old = RelayHeaders.downstream(r, false, false, false);
        assertThat(old.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(old.headers().get("Connection")).isEqualTo("close");
    }
}
