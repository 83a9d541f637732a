package io.kubescrape.server.http;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * What RFC 9112 asks of a request before anything reads it: a version this server speaks (1.0 or 1.1, else 505),
 * exactly one Host on HTTP/1.1 and never several (else 400), and a path, not an absolute-form target (which is
 * for proxies; 400 rather than a misleading 404). And no body: no route of kubescrape's takes one, and a body is
 * where request smuggling hides.
 */
public final class RequestChecks {
    private RequestChecks() {
    }

    /**
     * The answer to give instead of serving {@code request}, or null when it may be served: what the decoder could
     * not read, what RFC 9112 refuses, and a Host this listener does not answer to.
     */
    public static ScrapeException problem(HttpRequest request, HostCheck hosts) {
        if (request.decoderResult().isFailure()) {
            return RequestErrors.of(request.decoderResult().cause());
        }
        ScrapeException wrong = rfc9112(request);
        if (wrong != null) {
            return wrong;
        }
        if (!hosts.allows(request.headers().get(HttpHeaderNames.HOST))) {
            return new ScrapeException(ScrapeOutcome.MISDIRECTED, "this kubescrape listens on loopback and answers "
                    + "only to its own names (localhost, the loopback addresses, external_address, allowed_hosts)");
        }
        return null;
    }

    private static ScrapeException rfc9112(HttpRequest request) {
        HttpVersion v = request.protocolVersion();
        if (!v.equals(HttpVersion.HTTP_1_1) && !v.equals(HttpVersion.HTTP_1_0)) {
            return new ScrapeException(ScrapeOutcome.VERSION_NOT_SUPPORTED, shown(v)
                    + " is not supported; kubescrape speaks HTTP/1.1 and HTTP/1.0");
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || hosts.isEmpty() && v.equals(HttpVersion.HTTP_1_1)) {
            return new ScrapeException(ScrapeOutcome.MALFORMED_REQUEST, "an HTTP/1.1 request needs exactly one "
                    + "Host header, this one has " + hosts.size());
        }
        if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || HttpUtil.getContentLength(request, 0L) > 0) {
            return new ScrapeException(ScrapeOutcome.MALFORMED_REQUEST, "kubescrape takes no request body");
        }
        String uri = request.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return new ScrapeException(ScrapeOutcome.MALFORMED_REQUEST, "the request target must be a path "
                    + "starting with /, not an absolute URL or '*'");
        }
        return null;
    }

    /** Names a version for a message: what the caller sent, bounded. */
    private static String shown(HttpVersion v) {
        String text = v.text();
        return text.length() > 16 ? text.substring(0, 16) + "…" : text;
    }

    /**
     * Removes the headers the caller's {@code Connection} header names: hop-by-hop by RFC 9110 7.6.1, so never
     * forwarded (a caller naming {@code Accept-Encoding} there gets an uncompressed body, as the RFC means).
     */
    /**
     * A 405 unless the request is GET, HEAD, or {@code POST /-/reload} with {@code --enable-lifecycle}.
     */
    public static void checkMethod(HttpRequest request, String path, boolean reloadEnabled) {
        boolean reload = request.method().equals(HttpMethod.POST) && path.equals("/-/reload");
        if (reload && !reloadEnabled) {
            throw new ScrapeException(ScrapeOutcome.METHOD_NOT_ALLOWED, "POST /-/reload needs "
                    + "--enable-lifecycle; SIGHUP reloads as well");
        }
        if (!reload && !request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            throw new ScrapeException(ScrapeOutcome.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed; use GET or HEAD");
        }
    }

    public static void dropConnectionNamed(HttpHeaders h) {
        String c = h.get(HttpHeaderNames.CONNECTION);
        // The usual values name no header but Keep-Alive: nothing to split per request.
        if (c == null || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(c)
                || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(c)) {
            return;
        }
        for (String token : c.split(",")) {
            String name = token.trim();
            if (!name.isEmpty() && !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(name)
                    && !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(name)) {
                h.remove(name);
            }
        }
    }
}
