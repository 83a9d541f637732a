package io.kubescrape.server.state;

import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.config.AggregateSettings;
import io.kubescrape.server.auth.Callers;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The part of the configuration a reload replaces, swapped whole: the clusters, the callers and the bounds of
 * aggregated scrapes. Every request reads them here, so it sees one configuration or the next, never a mix for long.
 */
public final class LiveConfig {
    private final AtomicReference<ClusterRegistry> clusters;
    private final AtomicReference<Callers> callers;
    private final AtomicReference<AggregateSettings> aggregate;

    public LiveConfig(ClusterRegistry clusters, Callers callers) {
        this(clusters, callers, AggregateSettings.BUILTIN);
    }

    public LiveConfig(ClusterRegistry clusters, Callers callers, AggregateSettings aggregate) {
        this.clusters = new AtomicReference<>(clusters);
        this.callers = new AtomicReference<>(callers);
        this.aggregate = new AtomicReference<>(aggregate);
    }

    public AggregateSettings aggregate() {
        return aggregate.get();
    }

    public ClusterRegistry clusters() {
        return clusters.get();
    }

    public Callers callers() {
        return callers.get();
    }

    /** Swaps in a reloaded configuration's clusters, callers and aggregate bounds; returns the clusters replaced. */
    public ClusterRegistry swap(ClusterRegistry newClusters, Callers newCallers, AggregateSettings newAggregate) {
        callers.set(newCallers);
        aggregate.set(newAggregate);
        return clusters.getAndSet(newClusters);
    }
}
