package io.kubescrape.server.scrape;

import io.kubescrape.server.http.SafetyHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns an upstream response head into the downstream one, in place (no second header table per scrape). Only an
 * allow-list of the pod's headers passes: what a scraper needs to read the body and cache it. Everything else a pod
 * (or anything between) might send is dropped, because the response is served from kubescrape's own origin, the
 * browse UI's: cookies, CORS grants, a CSP of its own, Refresh, WWW-Authenticate, a forged X-Kubescrape-Outcome.
 * Every relayed body is marked not to be sniffed and, should a browser open it, sandboxed. Framing is chosen so
 * that a body that breaks off can never look complete (Content-Length kept, else chunked). Read anything the
 * upstream exchange needs (keep-alive) before.
 */
public final class RelayHeaders {
    /** The pod's headers that reach the caller (docs/security.md lists them); Content-Length also frames. */
    static final List<AsciiString> RELAYED = List.of(HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_ENCODING,
            HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.DATE, HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.ETAG,
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.VARY);

    private RelayHeaders() {
    }

    /** @param http11 false for an HTTP/1.0 caller, who cannot read chunks: its body ends when the connection does */
    public static HttpResponse downstream(HttpResponse upstream, boolean keepAlive, boolean head, boolean http11) {
        HttpHeaders h = upstream.headers();
        keepOnlyRelayed(h);
        SafetyHeaders.apply(h);
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

    /**
     * A shared answer's head for one more caller: a copy of the kept {@code template} (never changed itself, other
     * callers read it), turned into a downstream head, with the headers kubescrape adds to every copy.
     */
    public static HttpResponse sharedCopy(HttpResponse template, HttpHeaders added, boolean keepAlive,
                                          boolean http11) {
        HttpResponse out = new DefaultHttpResponse(template.protocolVersion(), template.status(),
                template.headers().copy());
        downstream(out, keepAlive, false, http11).headers().add(added);
        return out;
    }

    /** Removes every header not on the list; usually a few (Audit-Id, Transfer-Encoding), so they are collected. */
    private static void keepOnlyRelayed(HttpHeaders h) {
        List<CharSequence> drop = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!relayed(name)) {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(name);
            }
        }
        if (drop != null) {
            drop.forEach(h::remove);
        }
    }

    private static boolean relayed(CharSequence name) {
        for (AsciiString allowed : RELAYED) {
            if (allowed.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
