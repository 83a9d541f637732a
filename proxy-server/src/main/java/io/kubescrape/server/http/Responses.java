package io.kubescrape.server.http;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** kubescrape's own (non-relayed) responses: errors and small admin bodies. */
public final class Responses {
    private Responses() {
    }

    public static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }

    public static FullHttpResponse plain(ByteBufAllocator alloc, HttpResponseStatus status, String body) {
        return text(alloc, status, "text/plain; charset=utf-8", body);
    }

    /** The one-line error body from the outcome table, naming the failed hop. */
    public static FullHttpResponse error(ByteBufAllocator alloc, ScrapeException e) {
        FullHttpResponse r = plain(alloc, HttpResponseStatus.valueOf(e.outcome().status()), e.body());
        SafetyHeaders.apply(r.headers()).set("X-Kubescrape-Outcome", e.outcome().tag());
        if (e.outcome() == ScrapeOutcome.UNAUTHENTICATED) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"kubescrape\", Bearer realm=\"kubescrape\"");
        }
        if (e.outcome() == ScrapeOutcome.ADMISSION_REJECTED || e.outcome() == ScrapeOutcome.CALLER_OVER_SHARE
                || e.outcome() == ScrapeOutcome.TARGET_BUSY || e.outcome() == ScrapeOutcome.AUTH_OVERLOADED) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        if (e.outcome().status() == 405) {
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        return r;
    }
}
