package io.kubescrape.server;

import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.metrics.ProxyMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every downstream connection reads: the current clusters (swapped whole), the metrics, and whether the
 * server is serving. Passed to handlers explicitly; there is no global state.
 */
final class ProxyState {
    private final AtomicReference<ClusterRegistry> clusters;
    private final ProxyMetrics metrics;
    private final AtomicBoolean serving = new AtomicBoolean();

    ProxyState(ClusterRegistry clusters, ProxyMetrics metrics) {
        this.clusters = new AtomicReference<>(clusters);
        this.metrics = metrics;
    }

    ClusterRegistry clusters() {
        return clusters.get();
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    boolean serving() {
        return serving.get();
    }

    void serving(boolean on) {
        serving.set(on);
    }
}
