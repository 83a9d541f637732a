package io.kubescrape.server.scrape;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.stream.Stream;

/**
 * Turns an upstream response head into the downstream one, in place (no second header table per scrape): same
 * status and end-to-end headers (Content-Type, Content-Encoding, Content-Length, …) untouched; hop-by-hop headers
 * dropped, and framing chosen so that a body that breaks off can never look complete (Content-Length kept, else
 * chunked). Read anything the upstream exchange needs (keep-alive) before.
 */
final class RelayHeaders {
    private static final AsciiString[] HOP_BY_HOP_NAMES = Stream.of("connection", "keep-alive",
            "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
            "upgrade").map(AsciiString::cached).toArray(AsciiString[]::new);

    private RelayHeaders() {
    }

    /** @param http11 false for an HTTP/1.0 caller, who cannot read chunks: its body ends when the connection does */
    static HttpResponse downstream(HttpResponse upstream, boolean keepAlive, boolean head, boolean http11) {
        HttpHeaders h = upstream.headers();
        removeConnectionTokens(h);
        for (AsciiString name : HOP_BY_HOP_NAMES) {
            h.remove(name);
        }
        upstream.setProtocolVersion(http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0);
        int code = upstream.status().code();
        boolean bodyless = head || code == 204 || code == 304 || code < 200;
        if (http11 && !bodyless && !HttpUtil.isContentLengthSet(upstream)) {
            HttpUtil.setTransferEncodingChunked(upstream, true);
        }
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return upstream;
    }

    /** Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1). */
    private static void removeConnectionTokens(HttpHeaders h) {
        String c = h.get(HttpHeaderNames.CONNECTION);
        // The usual values name no header but Keep-Alive (hop-by-hop anyway): nothing to split per scrape.
        if (c == null || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(c)
                || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(c)) {
            return;
        }
        for (String t : c.split(",")) {
            String name = t.trim();
            if (!name.isEmpty()) {
                h.remove(name);
            }
        }
    }
}
