package io.kubescrape.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster's upstream connection counts, summed over its per-event-loop pools. Plain counters, so the pools
 * need no metrics library; {@link ProxyMetrics} publishes them as gauges.
 */
public final class PoolStats {
    public final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger idle = new AtomicInteger();
    public final AtomicInteger pendingAcquires = new AtomicInteger();
    /** HTTP/2 streams open (each one a request under way); 0 with HTTP/1.1. */
    public final AtomicInteger streams = new AtomicInteger();
    public final AtomicLong handshakes = new AtomicLong();
    public final AtomicLong handshakeFailures = new AtomicLong();
    public final AtomicLong connectFailures = new AtomicLong();
}
