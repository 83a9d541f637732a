package io.kubescrape.server.share;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What makes two scrapes identical enough to share one upstream request and its answer: the same cluster and URI
 * (target, port and path) and the same {@code Accept} and {@code Accept-Encoding}, since the pod may answer each
 * differently. Credentials are not part of it: each caller's grant was checked before it got here.
 */
record ShareKey(String cluster, String uri, String accept, String acceptEncoding) {
    static ShareKey of(String cluster, HttpRequest request) {
        return new ShareKey(cluster, request.uri(), request.headers().get(HttpHeaderNames.ACCEPT, ""),
                request.headers().get(HttpHeaderNames.ACCEPT_ENCODING, ""));
    }

    /** Roughly what the key holds, for the share window's byte bound. */
    int weight() {
        return 64 + 2 * (cluster.length() + uri.length() + accept.length() + acceptEncoding.length());
    }
}
