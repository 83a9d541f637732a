package io.kubescrape.upstream;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * An HTTP/2 response head as the HTTP/1.1 response object relays already know, so one relay serves both
 * protocols. The HPACK decoder has validated every name and value, so the copy is not validated again.
 */
final class Http2Responses {
    private static final DefaultHttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private Http2Responses() {
    }

    /**
     * @return the response, or null for an interim (1xx) head that the real one follows
     * @throws ScrapeException when the head has no valid {@code :status}, or switches protocols
     */
    static HttpResponse head(Http2Headers headers) throws ScrapeException {
        int code = status(headers.status());
        if (code < 200) {
            if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                throw new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server answered 101 Switching "
                        + "Protocols, an upgrade kubescrape never asks for");
            }
            return null;
        }
        HttpHeaders out = UNCHECKED.newHeaders();
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            CharSequence name = e.getKey();
            if (name.length() > 0 && name.charAt(0) != ':') {
                out.add(name, e.getValue());
            }
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), out);
    }

    private static int status(CharSequence s) throws ScrapeException {
        if (s == null || s.length() != 3) {
            throw new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server sent an HTTP/2 response "
                    + "without a valid :status");
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server sent an HTTP/2 response "
                        + "with :status " + s);
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100) {
            throw new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server sent an HTTP/2 response "
                    + "with :status " + s);
        }
        return code;
    }
}
