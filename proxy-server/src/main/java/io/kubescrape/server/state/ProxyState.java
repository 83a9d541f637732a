package io.kubescrape.server.state;

import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.sd.ServiceDiscovery;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.scrape.LastScrapes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What every downstream connection reads: the current clusters (swapped whole), the metrics, and whether the
 * server is serving. Passed to handlers explicitly; there is no global state.
 */
public final class ProxyState {
    private final AtomicReference<ClusterRegistry> clusters;
    private final ProxyMetrics metrics;
    private final AtomicBoolean serving = new AtomicBoolean();
    private final ServiceDiscovery sd;
    private final String externalAddress;
    private volatile String listenAddress = "127.0.0.1:8080";
    private final LastScrapes lastScrapes = new LastScrapes();

    /** @param externalAddress HOST:PORT published as every SD target, or null for the address callers used */
    private final AtomicReference<Callers> callers;
    private volatile Function<ProxyState, String> reloader;
    private volatile boolean lifecycle;
    private volatile Executor reloads;

    public ProxyState(ClusterRegistry clusters, ProxyMetrics metrics, String externalAddress, Callers callers) {
        this.callers = new AtomicReference<>(callers);
        this.clusters = new AtomicReference<>(clusters);
        this.metrics = metrics;
        this.externalAddress = externalAddress;
        this.sd = new ServiceDiscovery(this.clusters::get);
    }

    public Callers callers() {
        return callers.get();
    }

    /** Swaps in a reloaded configuration's clusters and callers; returns the clusters they replace. */
    public ClusterRegistry swap(ClusterRegistry newClusters, Callers newCallers) {
        callers.set(newCallers);
        return clusters.getAndSet(newClusters);
    }

    /** Set once at start: how to reload, whether POST /-/reload may ask for it, and where reloads run. */
    public void reloadVia(Function<ProxyState, String> how, boolean lifecycleEndpoint,
                   Executor where) {
        this.reloader = how;
        this.lifecycle = lifecycleEndpoint;
        this.reloads = where;
    }

    /** Whether POST /-/reload is allowed (--enable-lifecycle). */
    public boolean lifecycleEnabled() {
        return lifecycle && reloader != null;
    }

    /** Reloads the configuration off the caller's thread; completes with null, or why the old one was kept. */
    public CompletableFuture<String> reload() {
        if (reloader == null) {
            return CompletableFuture.completedFuture("this kubescrape cannot reload");
        }
        return CompletableFuture.supplyAsync(() -> reloader.apply(this), reloads);
    }

    public LastScrapes lastScrapes() {
        return lastScrapes;
    }

    public ServiceDiscovery sd() {
        return sd;
    }

    public String externalAddress() {
        return externalAddress;
    }

    /** The bound listen address, the SD target of last resort. */
    public String listenAddress() {
        return listenAddress;
    }

    public void listenAddress(String address) {
        listenAddress = address;
    }

    /**
     * Ready: serving, every cluster's first list finished (or failed and is backing off), and the targets of what
     * was listed built, so the first /sd is as quick as any.
     */
    public boolean ready() {
        return serving() && clusters().all().stream().allMatch(c -> c.discovered() == null
                || c.discovered().firstListDone()) && sd.upToDate();
    }

    public ClusterRegistry clusters() {
        return clusters.get();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    private volatile boolean draining;

    /** Shutting down: answer what is asked, but close each connection after its answer. */
    public boolean draining() {
        return draining;
    }

    public void drain() {
        draining = true;
    }

    public boolean serving() {
        return serving.get();
    }

    public void serving(boolean on) {
        serving.set(on);
    }
}
