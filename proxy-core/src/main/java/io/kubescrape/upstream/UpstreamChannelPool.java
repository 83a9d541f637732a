package io.kubescrape.upstream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * Upstream channels for one cluster on one event loop, as a scrape sees them. {@link UpstreamPool} is the real
 * one; handler tests substitute channels of their own.
 */
public interface UpstreamChannelPool {
    /** A ready channel (an idle one unless {@code fresh}); fails with a ScrapeException naming the cause. */
    Future<Channel> acquire(boolean fresh);

    /** An idle, ready channel at once, or null when acquiring has to wait or connect ({@link #acquire}). */
    default Channel acquireIdle() {
        return null;
    }

    /** Back to the pool after a complete, keep-alive exchange. */
    void release(Channel channel);

    /** Closed: broken, timed out or abandoned mid-response. */
    void discard(Channel channel);

    /** The end of an exchange: back to the pool when it completed cleanly, else closed; null is ignored. */
    default void giveBack(Channel channel, boolean reusable) {
        if (channel == null) {
            return;
        }
        if (reusable) {
            release(channel);
        } else {
            discard(channel);
        }
    }
}
