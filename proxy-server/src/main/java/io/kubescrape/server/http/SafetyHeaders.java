package io.kubescrape.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What every body kubescrape answers with but its own pages carries: not to be sniffed into another type, and
 * sandboxed should a browser open it (a relayed pod body, an error line), since it is served from the browse UI's
 * origin.
 */
public final class SafetyHeaders {
    private static final AsciiString CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString CONTENT_SECURITY_POLICY = AsciiString.cached("Content-Security-Policy");
    private static final AsciiString SANDBOX = AsciiString.cached("sandbox");

    private SafetyHeaders() {
    }

    /** Sets both, replacing any of the same name. */
    public static HttpHeaders apply(HttpHeaders h) {
        return h.set(CONTENT_TYPE_OPTIONS, NOSNIFF).set(CONTENT_SECURITY_POLICY, SANDBOX);
    }
}
