package io.kubescrape.it;

import io.kubescrape.bench.Exposition;

/** kubescrape's own /metrics, read as a user's PromQL would, for assertions. */
final class MetricsText {
    private MetricsText() {
    }

    /** kubescrape's own /metrics, fetched now. */
    static String of(String kubescrapeUrl) throws Exception {
        return Harness.get(kubescrapeUrl + "/metrics").body();
    }

    /** The sum of every sample of {@code name} carrying all the given label pairs (k1, v1, k2, v2, …). */
    static double sum(String exposition, String name, String... labels) {
        return Exposition.sum(exposition, name, labels);
    }
}
