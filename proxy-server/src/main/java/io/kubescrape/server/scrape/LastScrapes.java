package io.kubescrape.server.scrape;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each target's last scrape through kubescrape, for the browse page: a bounded in-memory table (not metrics, which
 * are never labelled by pod or node). Keyed by cluster and {@link io.kubescrape.route.Target#key}. A scrape costs one map lookup and one write; rows not scraped for a day, and when
 * the table is full the least recently scraped tenth, go in {@link #prune}, which runs off the event loops.
 */
public final class LastScrapes {
    static final int MAX_PODS = 200_000;
    static final long MAX_AGE_MILLIS = 24 * 3600 * 1000L;

    /** What the browse page shows of a scrape. */
    public record LastScrape(int status, String outcome, long durationMillis, long bytes, long atMillis) {
    }

    /** One pod's row: created once, then only its value changes. */
    private static final class Row {
        volatile LastScrape last;
    }

    private final int maxPods;
    private final ConcurrentHashMap<String, Row> table = new ConcurrentHashMap<>();

    public LastScrapes() {
        this(MAX_PODS);
    }

    public LastScrapes(int maxPods) {
        this.maxPods = maxPods;
    }

    /** A pod not in a full table is left out until {@link #prune} makes room. */
    void record(String cluster, String targetKey, LastScrape scrape) {
        String key = key(cluster, targetKey);
        Row row = table.get(key);
        if (row == null) {
            if (table.size() >= maxPods) {
                return;
            }
            row = table.computeIfAbsent(key, k -> new Row());
        }
        row.last = scrape;
    }

    /** @param targetKey the target's {@link io.kubescrape.route.Target#key} */
    public LastScrape get(String cluster, String targetKey) {
        Row row = table.get(key(cluster, targetKey));
        return row == null ? null : row.last;
    }

    int size() {
        return table.size();
    }

    /** Drops rows older than a day, then, while the table is at least 90 % full, the oldest tenth of it. */
    public void prune(long nowMillis) {
        table.values().removeIf(r -> r.last != null && nowMillis - r.last.atMillis() > MAX_AGE_MILLIS);
        if (table.size() >= maxPods * 9L / 10) {
            // Times are read once each (scrapes go on meanwhile), so the sort sees a consistent order.
            table.entrySet().stream().map(e -> Map.entry(e.getKey(), atMillis(e.getValue())))
                    .sorted(Map.Entry.comparingByValue()).limit(Math.max(1, table.size() / 10))
                    .map(Map.Entry::getKey).toList().forEach(table::remove);
        }
    }

    private static long atMillis(Row row) {
        LastScrape last = row.last;
        return last == null ? 0 : last.atMillis();
    }

    private static String key(String cluster, String targetKey) {
        return cluster + '/' + targetKey;
    }
}
