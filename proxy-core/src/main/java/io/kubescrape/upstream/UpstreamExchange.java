package io.kubescrape.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One request/response on a pooled upstream channel, seen from the channel's side. Called on the channel's
 * event loop only. The exchange owns (and must release) every {@link HttpContent} it is given.
 */
public interface UpstreamExchange {
    void onResponse(HttpResponse response);

    void onContent(HttpContent content);

    /** The end of a read burst: the moment to flush downstream and decide whether to read more. */
    void onReadComplete();

    /** The channel closed or failed before the exchange completed; {@code cause} says why. */
    void onBroken(Throwable cause);
}
