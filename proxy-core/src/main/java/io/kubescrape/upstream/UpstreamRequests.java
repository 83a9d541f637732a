package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Builds the requests kubescrape sends upstream. Only an allow-list of downstream headers goes up; hop-by-hop
 * headers and the scraper's Authorization never do, and the cluster's own credential is added.
 */
public final class UpstreamRequests {
    public static final String SCRAPE_TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    private static final String DEFAULT_USER_AGENT = "kubescrape/" + version();
    private static final String DEFAULT_ACCEPT =
            "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

    /**
     * A scrape request's header values are already safe: the cluster's own (its address from the configuration,
     * the token checked by {@code TokenSource}), the scraper's (validated by the downstream decoder) and ours, so
     * they are not validated again per scrape.
     */
    private static final DefaultHttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

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
        h.set(HttpHeaderNames.HOST, spec.authority());
        copy(downstream, h, HttpHeaderNames.ACCEPT, DEFAULT_ACCEPT);
        copy(downstream, h, HttpHeaderNames.USER_AGENT, DEFAULT_USER_AGENT);
        String encoding = downstream.get(HttpHeaderNames.ACCEPT_ENCODING);
        if (encoding != null) {
            h.set(HttpHeaderNames.ACCEPT_ENCODING, encoding);
        }
        h.set(SCRAPE_TIMEOUT_HEADER, formatSeconds(timeoutSeconds));
        if (authorization != null) {
            h.set(HttpHeaderNames.AUTHORIZATION, authorization);
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

    private static void copy(HttpHeaders from, HttpHeaders to, CharSequence name, String fallback) {
        String v = from.get(name);
        to.set(name, v != null && !v.isEmpty() ? v : fallback);
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
