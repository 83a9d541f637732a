package io.kubescrape.transport;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Header tables for decoded scrape messages: Netty's validating headers, started with room for a few entries
 * rather than 16 hash buckets. A scrape's request and response carry a handful of headers each and live for one
 * scrape, so the smaller table is a few lookups along a short chain and about 50 bytes less garbage per message.
 */
public final class CompactHeaders implements HttpHeadersFactory {
    public static final CompactHeaders FACTORY = new CompactHeaders();
    private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

    private CompactHeaders() {
    }

    @Override
    public HttpHeaders newHeaders() {
        return VALIDATING.newEmptyHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
        return VALIDATING.newEmptyHeaders();
    }
}
