package io.kubescrape.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Each pod's last scrape through kubescrape, for the browse page: a bounded in-memory table (not metrics, which
 * are never labelled by pod). Entries age out after a day or when the table is full.
 */
final class LastScrapes {
    private static final long MAX_PODS = 200_000;

    /** What the browse page shows of a scrape. */
    record LastScrape(int status, String outcome, long durationMillis, long bytes, long atMillis) {
    }

    private final Cache<String, LastScrape> table = Caffeine.newBuilder().maximumSize(MAX_PODS)
            .expireAfterWrite(Duration.ofDays(1)).build();

    void record(String cluster, String namespace, String pod, LastScrape scrape) {
        table.put(key(cluster, namespace, pod), scrape);
    }

    LastScrape get(String cluster, String namespace, String pod) {
        return table.getIfPresent(key(cluster, namespace, pod));
    }

    private static String key(String cluster, String namespace, String pod) {
        return cluster + '/' + namespace + '/' + pod;
    }
}
