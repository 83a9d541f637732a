package io.kubescrape.server.scrape;

/**
 * A scrape under way on a downstream connection, as the connection drives it: its deadline passed, its caller can
 * take more bytes, or its caller went away. A relay of its own or a place in an identical scrape's flight.
 */
public interface Scrape {
    /** The scrape's time ran out (its connection's deadline). */
    void timedOut();

    /** The downstream channel drained below its low watermark. */
    void onDownstreamWritable();

    /** The scraper went away. */
    void onDownstreamClosed();
}
