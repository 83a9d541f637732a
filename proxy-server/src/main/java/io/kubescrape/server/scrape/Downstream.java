package io.kubescrape.server.scrape;

import io.netty.handler.codec.http.FullHttpResponse;

/**
 * What a scrape needs of the downstream connection that asked for it, and nothing more: the relay reports how it
 * ended; the connection decides what comes next (the next request, or closing).
 */
public interface Downstream {
    /** Sends kubescrape's own complete answer: an error from the table, before any response head went out. */
    void respond(FullHttpResponse response, boolean keepAlive);

    /** The relayed response's last byte was written: serve the next request, or close. */
    void relayed(boolean keepAlive);

    /** The scrape recorded its outcome, whatever it was: the connection lets go of it. */
    void ended(Scrape scrape);
}
