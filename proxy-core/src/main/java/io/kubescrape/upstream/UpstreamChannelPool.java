package io.kubescrape.upstream;

import io.netty.util.concurrent.Future;

/**
 * Upstream links for one cluster on one event loop, as a scrape sees them: pooled HTTP/1.1 connections
 * ({@link UpstreamPool}) or HTTP/2 streams ({@link Http2UpstreamPool}); handler tests substitute links of their own.
 */
public interface UpstreamChannelPool {
    /** A ready link (an idle one unless {@code fresh}); fails with a ScrapeException naming the cause. */
    Future<UpstreamLink> acquire(boolean fresh);

    /** An idle, ready link at once, or null when acquiring has to wait or connect ({@link #acquire}). */
    default UpstreamLink acquireIdle() {
        return null;
    }

    /** Back to the pool after a complete, keep-alive exchange. */
    void release(UpstreamLink link);

    /** Closed: broken, timed out or abandoned mid-response. */
    void discard(UpstreamLink link);

    /** The end of an exchange: back to the pool when it completed cleanly, else closed; null is ignored. */
    default void giveBack(UpstreamLink link, boolean reusable) {
        if (link == null) {
            return;
        }
        if (reusable) {
            release(link);
        } else {
            discard(link);
        }
    }
}
