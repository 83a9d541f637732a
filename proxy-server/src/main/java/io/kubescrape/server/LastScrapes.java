package io.kubescrape.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Each pod's last scrape through kubescrape, for the browse page: a bounded in-memory table (not metrics, which
 * are never labelled by pod). Rows age out a day after their last scrape or when the table is full.
 */
final class LastScrapes {
    private static final long MAX_PODS = 200_000;

    /** What the browse page shows of a scrape. */
    record LastScrape(int status, String outcome, long durationMillis, long bytes, long atMillis) {
    }

    /** One pod's row: created once, then only its value changes, so a scrape costs a lookup, not a cache write. */
    private static final class Row {
        volatile LastScrape last;
    }

    // Maintenance runs on the recording thread (amortised, a few entries at a time) rather than waking a pool thread.
    private final Cache<String, Row> table = Caffeine.newBuilder().maximumSize(MAX_PODS)
            .expireAfterAccess(Duration.ofDays(1)).executor(Runnable::run).build();

    void record(String cluster, String namespace, String pod, LastScrape scrape) {
        table.get(key(cluster, namespace, pod), k -> new Row()).last = scrape;
    }

    LastScrape get(String cluster, String namespace, String pod) {
        Row row = table.getIfPresent(key(cluster, namespace, pod));
        return row == null ? null : row.last;
    }

    private static String key(String cluster, String namespace, String pod) {
        return cluster + '/' + namespace + '/' + pod;
    }
}
