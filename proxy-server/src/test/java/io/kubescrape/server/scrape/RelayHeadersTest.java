package io.kubescrape.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** What of an upstream response head reaches the scraper: the allow-listed headers only, framing chosen safely. */
class RelayHeadersTest {
    private static HttpResponse upstream(String connection) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("Content-Type", "text/plain; version=0.0.4").set("Content-Length", "12")
                .set("Keep-Alive", "timeout=5").set("X-Pod-Secret", "s").set("Audit-Id", "a1")
                .set("content-encoding", "gzip").set("Vary", "Accept-Encoding").set("Date", "Sun, 06 Dec 2026");
        if (connection != null) {
            r.headers().set("Connection", connection);
        }
        return r;
    }

    @Test
    void onlyTheAllowListReachesTheCallerPlusNoSniffAndSandbox() {
        HttpResponse r = upstream("keep-alive");
        r.headers().set("Content-Type", "text/html").add("Set-Cookie", "session=stolen")
                .set("Access-Control-Allow-Origin", "*").set("Access-Control-Allow-Credentials", "true")
                .set("Content-Security-Policy", "script-src *").set("Refresh", "0; url=https://evil.example/")
                .set("WWW-Authenticate", "Basic realm=\"kubescrape\"").set("X-Kubescrape-Outcome", "success")
                .set("Location", "https://evil.example/").set("Upgrade", "websocket")
                .set("Strict-Transport-Security", "max-age=0");
        HttpResponse out = RelayHeaders.downstream(r, true, false, true);
        assertThat(out.headers().names()).containsExactlyInAnyOrder("Content-Type", "Content-Length",
                "content-encoding", "Vary", "Date", "X-Content-Type-Options", "Content-Security-Policy");
        assertThat(out.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(out.headers().getAll("Content-Security-Policy")).as("the pod's own CSP replaced, not added to")
                .containsExactly("sandbox");
        assertThat(out.headers().get("Content-Length")).isEqualTo("12");
    }

    @Test
    void headersNamedInConnectionNeverPass() {
        HttpResponse out = RelayHeaders.downstream(upstream("Keep-Alive, X-Pod-Secret"), true, false, true);
        assertThat(out.headers().contains("X-Pod-Secret")).isFalse();
        assertThat(out.headers().contains("Keep-Alive")).isFalse();
        assertThat(out.headers().contains("Connection")).isFalse();
    }

    @Test
    void aBodyWithoutLengthIsChunkedForHttp11AndClosedForAnHttp10Caller() {
        HttpResponse r = upstream(null);
        r.headers().remove("Content-Length");
        r.headers().set("Transfer-Encoding", "gzip, chunked");
        assertThat(RelayHeaders.downstream(r, true, false, true).headers().get("Transfer-Encoding"))
                .isEqualTo("chunked");
        HttpResponse old = RelayHeaders.downstream(r, false, false, false);
        assertThat(old.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(old.headers().get("Connection")).isEqualTo("close");
    }
}
