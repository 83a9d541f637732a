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
        Integer maxQueuedScrapes) {

    public static final UpstreamSettings BUILTIN = new UpstreamSettings(64, 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMillis(250),
            Duration.ofSeconds(30), Duration.ofSeconds(5), 256, 1024);

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
                maxQueuedScrapes != null ? maxQueuedScrapes : f.maxQueuedScrapes);
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
