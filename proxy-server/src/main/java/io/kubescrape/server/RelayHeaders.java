package io.kubescrape.server;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The downstream copy of an upstream response head: same status and end-to-end headers (Content-Type,
 * Content-Encoding, Content-Length, …) untouched; hop-by-hop headers dropped, and framing chosen so that a
 * body that breaks off can never look complete (Content-Length kept, else chunked).
 */
final class RelayHeaders {
    private static final AsciiString[] HOP_BY_HOP_NAMES = java.util.stream.Stream.of("connection", "keep-alive",
            "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
            "upgrade").map(AsciiString::cached).toArray(AsciiString[]::new);

    /** The upstream decoder validated every name and value already; checking each again per scrape costs CPU. */
    private static final DefaultHttpHeadersFactory COPIED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private RelayHeaders() {
    }

    /** @param http11 false for an HTTP/1.0 caller, who cannot read chunks: its body ends when the connection does */
    static HttpResponse downstream(HttpResponse upstream, boolean keepAlive, boolean head, boolean http11) {
        HttpResponse out = new DefaultHttpResponse(http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                upstream.status(), COPIED);
        HttpHeaders to = out.headers();
        HttpHeaders from = upstream.headers();
        Set<String> listed = connectionTokens(from);
        // Names and values stay CharSequences from the decoder: no String copies or lower-casing per header.
        var it = from.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (!hopByHop(name) && (listed.isEmpty() || !listed.contains(name.toString().toLowerCase(Locale.ROOT)))) {
                to.add(name, e.getValue());
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

    private static boolean hopByHop(CharSequence name) {
        for (AsciiString h : HOP_BY_HOP_NAMES) {
            if (h.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Headers named in Connection are hop-by-hop too (RFC 9110 7.6.1). */
    private static Set<String> connectionTokens(HttpHeaders from) {
        String c = from.get(HttpHeaderNames.CONNECTION);
        // The usual values name no header but Keep-Alive (hop-by-hop anyway): no set to build per scrape.
        if (c == null || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(c)
                || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(c)) {
            return Set.of();
        }
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String t : c.split(",")) {
            tokens.add(t.trim().toLowerCase(Locale.ROOT));
        }
        return tokens;
    }
}
