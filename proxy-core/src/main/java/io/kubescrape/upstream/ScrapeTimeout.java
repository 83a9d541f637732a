package io.kubescrape.upstream;

import io.kubescrape.config.UpstreamSettings;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The time a scrape may take, end to end: Prometheus' {@code X-Prometheus-Scrape-Timeout-Seconds} less a small
 * margin (so kubescrape answers before Prometheus gives up), capped by the cluster's {@code max_scrape_timeout}.
 */
public final class ScrapeTimeout {
    private static final long MIN_NANOS = 100_000_000L;

    private ScrapeTimeout() {
    }

    public static long nanos(HttpHeaders downstream, UpstreamSettings settings) {
        long max = settings.maxScrapeTimeout().toNanos();
        String header = downstream.get(UpstreamRequests.SCRAPE_TIMEOUT_HEADER);
        if (header == null) {
            return max;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(header.trim());
        } catch (NumberFormatException e) {
            return max;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            return max;
        }
        long asked = (long) (seconds * 1e9) - settings.scrapeTimeoutMargin().toNanos();
        return Math.min(max, Math.max(MIN_NANOS, asked));
    }
}
