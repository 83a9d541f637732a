package io.kubescrape.server.state;

import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.server.auth.Callers;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The part of the configuration a reload replaces, swapped whole: the clusters and the callers. Every request
 * reads both here, so it sees one configuration or the next, never a mix for long.
 */
public final class LiveConfig {
    private final AtomicReference<ClusterRegistry> clusters;
    private final AtomicReference<Callers> callers;

    public LiveConfig(ClusterRegistry clusters, Callers callers) {
        this.clusters = new AtomicReference<>(clusters);
        this.callers = new AtomicReference<>(callers);
    }

    public ClusterRegistry clusters() {
        return clusters.get();
    }

    public Callers callers() {
        return callers.get();
    }

    /** Swaps in a reloaded configuration's clusters and callers; returns the clusters they replace. */
    public ClusterRegistry swap(ClusterRegistry newClusters, Callers newCallers) {
        callers.set(newCallers);
        return clusters.getAndSet(newClusters);
    }
}
