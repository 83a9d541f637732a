package io.kubescrape.server;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The downstream copy of an upstream response head: same status and end-to-end headers (Content-Type,
 * Content-Encoding, Content-Length, …) untouched; hop-by-hop headers dropped, and framing chosen so that a
 * body that breaks off can never look complete (Content-Length kept, else chunked).
 */
final class RelayHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private RelayHeaders() {
    }

    /** @param http11 false for an HTTP/1.0 caller, who cannot read chunks: its body ends when the connection does */
    static HttpResponse downstream(HttpResponse upstream, boolean keepAlive, boolean head, boolean http11) {
        HttpResponse out = new DefaultHttpResponse(http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                upstream.status());
        HttpHeaders to = out.headers();
        HttpHeaders from = upstream.headers();
        Set<String> listed = connectionTokens(from);
        for (Map.Entry<String, String> e : from) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !listed.contains(name)) {
                to.add(e.getKey(), e.getValue());
            }
        }
        int code = upstream.status().code();
        boolean bodyless = head || code == 204 || code == 304 || code < 200;
        if (http11 && !bodyless && !HttpUtil.isContentLengthSet(upstream)) {
            HttpUtil.setTransferEncodingChunked(out, true);
        }
        if (!keepAlive) {
            to.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return out;
    }

    /** Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1). */
    private static Set<String> connectionTokens(HttpHeaders from) {
        String c = from.get(HttpHeaderNames.CONNECTION);
        if (c == null) {
            return Set.of();
        }
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String t : c.split(",")) {
            tokens.add(t.trim().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }
}
