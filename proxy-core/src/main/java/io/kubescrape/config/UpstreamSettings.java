package io.kubescrape.config;

import java.time.Duration;

/**
 * Per-cluster connection and timing limits. Null fields are unset (see {@link ScrapeSettings} for layering).
 * {@code maxConnections} is per cluster and is split evenly across the event loops' pools.
 */
public record UpstreamSettings(
        Integer maxConnections,
        Integer maxPendingAcquires,
        Duration connectTimeout,
        Duration acquireTimeout,
        Duration idleTimeout,
        Duration maxScrapeTimeout,
        Duration scrapeTimeoutMargin,
        Duration podCacheTtl,
        Duration podCacheNegativeTtl,
        Integer maxConcurrentScrapes,
        Integer maxQueuedScrapes,
        String protocol,
        Integer maxStreamsPerConnection,
        Integer maxConcurrentPerTarget,
        Double callerShare) {

    /** HTTP/1.1: one scrape per pooled connection at a time. */
    public static final String HTTP1 = "http1";
    /** HTTP/2: scrapes as streams multiplexed over few connections (ALPN h2, or prior knowledge without TLS). */
    public static final String HTTP2 = "http2";
    /** Whichever the API server picks when offered both in TLS ALPN (HTTP/1.1 without TLS). */
    public static final String AUTO = "auto";

    public static final UpstreamSettings BUILTIN = new UpstreamSettings(64, 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(250),
            Duration.ofSeconds(30), Duration.ofSeconds(5), 256, 1024, HTTP1, 1000, 8, 0.5);

    /** The settings as they were before the fairness limits (which are then unset, taken from the defaults). */
    public UpstreamSettings(Integer maxConnections, Integer maxPendingAcquires, Duration connectTimeout,
                            Duration acquireTimeout, Duration idleTimeout, Duration maxScrapeTimeout,
                            Duration scrapeTimeoutMargin, Duration podCacheTtl, Duration podCacheNegativeTtl,
                            Integer maxConcurrentScrapes, Integer maxQueuedScrapes, String protocol,
                            Integer maxStreamsPerConnection) {
        this(maxConnections, maxPendingAcquires, connectTimeout, acquireTimeout, idleTimeout, maxScrapeTimeout,
                scrapeTimeoutMargin, podCacheTtl, podCacheNegativeTtl, maxConcurrentScrapes, maxQueuedScrapes,
                protocol, maxStreamsPerConnection, null, null);
    }

    public UpstreamSettings {
        if (maxConnections != null && (maxConnections < 1 || maxConnections > 100_000)) {
            throw new IllegalArgumentException("max_connections must be 1-100000");
        }
        if (maxPendingAcquires != null && (maxPendingAcquires < 0 || maxPendingAcquires > 1_000_000)) {
            throw new IllegalArgumentException("max_pending_acquires must be 0-1000000");
        }
        positive("connect_timeout", connectTimeout);
        positive("acquire_timeout", acquireTimeout);
        positive("idle_timeout", idleTimeout);
        positive("max_scrape_timeout", maxScrapeTimeout);
        notNegative("scrape_timeout_margin", scrapeTimeoutMargin);
        notNegative("pod_cache_ttl", podCacheTtl);
        notNegative("pod_cache_negative_ttl", podCacheNegativeTtl);
        if (maxConcurrentScrapes != null && (maxConcurrentScrapes < 1 || maxConcurrentScrapes > 1_000_000)) {
            throw new IllegalArgumentException("max_concurrent_scrapes must be 1-1000000");
        }
        if (maxQueuedScrapes != null && (maxQueuedScrapes < 0 || maxQueuedScrapes > 1_000_000)) {
            throw new IllegalArgumentException("max_queued_scrapes must be 0-1000000");
        }
        if (protocol != null && !protocol.equals(HTTP1) && !protocol.equals(HTTP2) && !protocol.equals(AUTO)) {
            throw new IllegalArgumentException("protocol must be http1, http2 or auto, not \"" + protocol + "\"");
        }
        if (maxStreamsPerConnection != null && (maxStreamsPerConnection < 1 || maxStreamsPerConnection > 10_000)) {
            throw new IllegalArgumentException("max_streams_per_connection must be 1-10000");
        }
        if (maxConcurrentPerTarget != null && (maxConcurrentPerTarget < 1 || maxConcurrentPerTarget > 1_000_000)) {
            throw new IllegalArgumentException("max_concurrent_per_target must be 1-1000000");
        }
        if (callerShare != null && !(callerShare > 0 && callerShare <= 1)) {
            throw new IllegalArgumentException("caller_share must be above 0 and at most 1");
        }
    }

    /**
     * How many scrapes of this cluster one caller may have under way or waiting at once: its share of what the
     * cluster can carry at once (the concurrent-scrape limit, or the connections' capacity when that is less).
     */
    public int perCallerLimit() {
        return perCallerLimit(http2());
    }

    /** As above, once it is known whether scrapes go as HTTP/2 streams ({@code auto} learns it from the server). */
    public int perCallerLimit(boolean streams) {
        long capacity = streams ? (long) maxConnections * maxStreamsPerConnection : maxConnections;
        return (int) Math.max(1, Math.floor(callerShare * Math.min(maxConcurrentScrapes, capacity)));
    }

    /** Whether scrapes go as HTTP/2 streams (whatever the server offers). */
    public boolean http2() {
        return HTTP2.equals(protocol);
    }

    /** Whether the API server's choice in ALPN decides between HTTP/2 and HTTP/1.1. */
    public boolean auto() {
        return AUTO.equals(protocol);
    }

    public UpstreamSettings orElse(UpstreamSettings f) {
        if (f == null) {
            return this;
        }
        return new UpstreamSettings(
                maxConnections != null ? maxConnections : f.maxConnections,
                maxPendingAcquires != null ? maxPendingAcquires : f.maxPendingAcquires,
                connectTimeout != null ? connectTimeout : f.connectTimeout,
                acquireTimeout != null ? acquireTimeout : f.acquireTimeout,
                idleTimeout != null ? idleTimeout : f.idleTimeout,
                maxScrapeTimeout != null ? maxScrapeTimeout : f.maxScrapeTimeout,
                scrapeTimeoutMargin != null ? scrapeTimeoutMargin : f.scrapeTimeoutMargin,
                podCacheTtl != null ? podCacheTtl : f.podCacheTtl,
                podCacheNegativeTtl != null ? podCacheNegativeTtl : f.podCacheNegativeTtl,
                maxConcurrentScrapes != null ? maxConcurrentScrapes : f.maxConcurrentScrapes,
                maxQueuedScrapes != null ? maxQueuedScrapes : f.maxQueuedScrapes,
                protocol != null ? protocol : f.protocol,
                maxStreamsPerConnection != null ? maxStreamsPerConnection : f.maxStreamsPerConnection,
                maxConcurrentPerTarget != null ? maxConcurrentPerTarget : f.maxConcurrentPerTarget,
                callerShare != null ? callerShare : f.callerShare);
    }

    private static void positive(String key, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(key + " must be greater than 0");
        }
    }

    private static void notNegative(String key, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative");
        }
    }
}
