package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Builds the requests kubescrape sends upstream. Only an allow-list of downstream headers goes up; hop-by-hop
 * headers and the scraper's Authorization never do, and the cluster's own credential is added.
 */
public final class UpstreamRequests {
    public static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    private static final AsciiString SCRAPE_TIMEOUT_HTTP2 = AsciiString.cached(SCRAPE_TIMEOUT_HEADER.toLowerCase(
            Locale.ROOT));
    private static final String DEFAULT_USER_AGENT = "kubescrape/" + version();
    private static final String DEFAULT_ACCEPT =
            "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

    /**
     * A scrape request's header values are already safe: the cluster's own (its address from the configuration,
     * the token checked by {@code TokenSource}), the scraper's (validated by the downstream decoder) and ours, so
     * they are not validated again per scrape.
     */
    private static final String AGGREGATE_ACCEPT =
            "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1";

    private static final DefaultHttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private static final int COLON_SPACE = (':' << 8) | ' ';
    private static final int CRLF = ('\r' << 8) | '\n';

    private UpstreamRequests() {
    }

    /**
     * @param downstream      the scraper's request headers
     * @param timeoutSeconds  the scrape timeout kubescrape enforces, passed on so the pod can honour it
     */
    public static FullHttpRequest scrape(ClusterSpec spec, HttpMethod method, String path, HttpHeaders downstream,
                                         String authorization, double timeoutSeconds) {
        String prefix = spec.pathPrefix();
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
                prefix.isEmpty() ? path : prefix + path, Unpooled.EMPTY_BUFFER, UNCHECKED.newHeaders(),
                EmptyHttpHeaders.INSTANCE);
        HttpHeaders h = req.headers();
        scrapeHeaders(spec, downstream, authorization, timeoutSeconds, h::set);
        return req;
    }

    /**
     * The GET of {@link #scrape} as the bytes of an HTTP/1.1 request head, for a pooled HTTP/1.1 connection: no
     * request object, header table or encoder pass per scrape. Values are written as the codec would write them
     * (one byte per char); none can hold a line break (see {@link #UNCHECKED}).
     */
    public static ByteBuf scrapeGet(ByteBufAllocator alloc, ClusterSpec spec, String path, HttpHeaders downstream,
                                    String authorization, double timeoutSeconds) {
        ByteBuf b = alloc.buffer(256 + path.length() + (authorization == null ? 0 : authorization.length()));
        b.writeCharSequence("GET ", StandardCharsets.ISO_8859_1);
        b.writeCharSequence(spec.pathPrefix(), StandardCharsets.ISO_8859_1);
        b.writeCharSequence(path, StandardCharsets.ISO_8859_1);
        b.writeCharSequence(" HTTP/1.1\r\n", StandardCharsets.ISO_8859_1);
        scrapeHeaders(spec, downstream, authorization, timeoutSeconds, (name, value) -> {
            b.writeCharSequence(name, StandardCharsets.ISO_8859_1);
            b.writeShort(COLON_SPACE);
            b.writeCharSequence(value, StandardCharsets.ISO_8859_1);
            b.writeShort(CRLF);
        });
        b.writeShort(CRLF);
        return b;
    }

    /**
     * The request of {@link #scrape} as the HEADERS of an HTTP/2 stream: the same headers, lower-case, with the
     * authority and path as pseudo-headers.
     * @param scheme {@code https}, or {@code http} for a plain-text API server
     */
    public static Http2Headers scrapeHttp2(ClusterSpec spec, HttpMethod method, String path, HttpHeaders downstream,
                                           String authorization, double timeoutSeconds, AsciiString scheme) {
        Http2Headers h = new DefaultHttp2Headers(false, 8);
        h.method(method.asciiName()).scheme(scheme).authority(spec.authority()).path(spec.pathPrefix().isEmpty() ? path
                : spec.pathPrefix() + path);
        // scrapeHeaders passes these very constants: HOST becomes :authority, and HTTP/2 names are lower-case.
        scrapeHeaders(spec, downstream, authorization, timeoutSeconds, (name, value) -> {
            if (name != HttpHeaderNames.HOST) {
                h.add(name == SCRAPE_TIMEOUT_HEADER ? SCRAPE_TIMEOUT_HTTP2 : name, value);
            }
        });
        return h;
    }

    /** A request of the caller's making (no body) as the HEADERS of an HTTP/2 stream. */
    public static Http2Headers toHttp2(HttpRequest request, AsciiString scheme) {
        request.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), scheme);
        return HttpConversionUtil.toHttp2Headers(request, false);
    }

    /** The one list of what a scrape request carries, for both forms. */
    private static void scrapeHeaders(ClusterSpec spec, HttpHeaders downstream, String authorization,
                                      double timeoutSeconds, BiConsumer<CharSequence, CharSequence> out) {
        out.accept(HttpHeaderNames.HOST, spec.authority());
        out.accept(HttpHeaderNames.ACCEPT, orDefault(downstream.get(HttpHeaderNames.ACCEPT), DEFAULT_ACCEPT));
        out.accept(HttpHeaderNames.USER_AGENT,
                orDefault(downstream.get(HttpHeaderNames.USER_AGENT), DEFAULT_USER_AGENT));
        String encoding = downstream.get(HttpHeaderNames.ACCEPT_ENCODING);
        if (encoding != null) {
            out.accept(HttpHeaderNames.ACCEPT_ENCODING, encoding);
        }
        out.accept(SCRAPE_TIMEOUT_HEADER, formatSeconds(timeoutSeconds));
        if (authorization != null) {
            out.accept(HttpHeaderNames.AUTHORIZATION, authorization);
        }
    }

    /**
     * An aggregate's GET of one pod's metrics: text asked for first (so a pod that can also serve protobuf does not),
     * gzip accepted, and the time the pod has.
     */
    public static FullHttpRequest aggregateGet(ClusterSpec spec, String path, String authorization,
                                               double timeoutSeconds) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                spec.pathPrefix() + path);
        req.headers().set(HttpHeaderNames.HOST, spec.authority())
                .set(HttpHeaderNames.ACCEPT, AGGREGATE_ACCEPT)
                .set(HttpHeaderNames.ACCEPT_ENCODING, "gzip")
                .set(HttpHeaderNames.USER_AGENT, DEFAULT_USER_AGENT)
                .set(SCRAPE_TIMEOUT_HEADER, formatSeconds(timeoutSeconds));
        if (authorization != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        return req;
    }

    /** GET of an API object (a pod, a pod list, a watch), as JSON. */
    public static FullHttpRequest get(ClusterSpec spec, String path, String authorization) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                spec.pathPrefix() + path);
        req.headers().set(HttpHeaderNames.HOST, spec.authority())
                .set(HttpHeaderNames.ACCEPT, "application/json")
                .set(HttpHeaderNames.USER_AGENT, DEFAULT_USER_AGENT);
        if (authorization != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        return req;
    }

    private static String orDefault(String v, String fallback) {
        return v != null && !v.isEmpty() ? v : fallback;
    }

    /** Seconds to at most millisecond precision, trailing zeros dropped ("9.75", "10"); no formatter per scrape. */
    static String formatSeconds(double seconds) {
        long millis = Math.round(seconds * 1000);
        long whole = millis / 1000;
        int frac = (int) (millis % 1000);
        if (frac == 0) {
            return Long.toString(whole);
        }
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        String f = Integer.toString(frac);
        return whole + "." + "00".substring(0, digits - f.length()) + f;
    }

    public static String version() {
        String v = UpstreamRequests.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
