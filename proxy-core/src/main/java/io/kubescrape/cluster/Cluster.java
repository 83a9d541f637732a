package io.kubescrape.cluster;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.Sharing;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.discovery.EndpointSliceInfo;
import io.kubescrape.discovery.NodeInfo;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.discovery.WatchedObjects;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.ClusterMeters;
import io.kubescrape.resolve.PodCache;
import io.kubescrape.resolve.PodFetch;
import io.kubescrape.resolve.PortResolver;
import io.kubescrape.resolve.ScrapeEndpoint;
import io.kubescrape.resolve.ServiceEndpointResolver;
import io.kubescrape.resolve.UpstreamPaths;
import io.kubescrape.route.ApiServerTarget;
import io.kubescrape.route.EndpointsTarget;
import io.kubescrape.route.NodeTarget;
import io.kubescrape.route.PodTarget;
import io.kubescrape.route.Target;
import io.kubescrape.upstream.ClusterPools;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamPools;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A configured cluster at run time: its TLS context, credential, pools, pod cache and meters. */
public final class Cluster implements AutoCloseable {
    private static final long MAX_CACHED_PODS = 100_000;

    private final ClusterSpec spec;
    private final TokenSource tokens;
    private final ClusterPools pools;
    private final PodCache pods;
    private final ClusterMeters meters;
    private final ClusterDiscovery discovery;
    private final ClusterPods discovered;
    private final Admission admission;
    private final Shares shares;
    private final Sharing sharing;
    /** The TLS files to watch for rotation, or null (no TLS, or nothing read from files). */
    private final TlsFiles tlsFiles;
    /** Lets go of this cluster's gauges on close: they read a newer cluster of the same name, or go away. */
    private final List<Runnable> unbindGauges = new ArrayList<>(2);

    /**
     * @param pools    the cluster's pool of each event loop
     * @param tlsFiles the TLS files to watch for rotation, or null
     */
    public Cluster(ClusterSpec spec, TokenSource tokens, ClusterPools pools, TlsFiles tlsFiles, ClusterMeters meters) {
        this.spec = spec;
        this.tokens = tokens;
        this.pools = pools;
        this.tlsFiles = tlsFiles;
        this.meters = meters;
        this.pods = new PodCache(spec.upstream().podCacheTtl(), spec.upstream().podCacheNegativeTtl(),
                MAX_CACHED_PODS);
        this.discovery = new ClusterDiscovery(spec);
        this.discovered = discovery.pods();
        this.admission = new Admission(spec.upstream().maxConcurrentScrapes(), spec.upstream().maxQueuedScrapes());
        this.shares = new Shares(() -> spec.upstream().perCallerLimit(pools.streams()),
                spec.upstream().maxConcurrentPerTarget());
        this.sharing = Sharing.of(spec.scrape());
        if (discovered != null) {
            unbindGauges.add(meters.bindDiscovery(discovered::size, () -> discovered.lastSyncMillis() == 0 ? -1
                    : (System.currentTimeMillis() - discovered.lastSyncMillis()) / 1000.0));
        }
        unbindGauges.add(meters.bindCircuit(() -> pools.circuitOpen() ? 1 : 0));
    }

    /** A cluster as configured: its TLS context and credential read, its pools ready to connect. */
    public static Cluster create(ClusterSpec spec, Class<? extends Channel> channelClass, int eventLoops,
                                 ClusterMeters meters) throws ConfigException {
        SslContext ssl = spec.tlsEnabled() ? UpstreamTls.clientContext(spec) : null;
        TokenSource tokens;
        try {
            tokens = TokenSource.of(spec.credential(), spec.name());
        } catch (IOException e) {
            throw new ConfigException(spec.origin() + ": " + e.getMessage());
        }
        return new Cluster(spec, tokens, new UpstreamPools(spec, ssl, meters.pool(), channelClass, eventLoops),
                spec.tlsEnabled() ? new TlsFiles(spec.tls()) : null, meters);
    }

    public ClusterSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** How identical scrapes of this cluster share upstream requests. */
    public Sharing sharing() {
        return sharing;
    }

    public ClusterMeters meters() {
        return meters;
    }

    public PodCache pods() {
        return pods;
    }

    public String authorization() {
        return tokens.authorization();
    }

    /**
     * Reads the CA, client certificate and key files anew when they changed: new connections use them, pooled
     * ones drain. Returns what happened, for the log, or null when nothing changed. A broken file keeps the old.
     */
    public synchronized String reloadTlsIfChanged() {
        if (tlsFiles == null || !tlsFiles.watched()) {
            return null;
        }
        try {
            TlsSettings fresh = tlsFiles.changed();
            if (fresh == null) {
                return null;
            }
            ClusterSpec next = new ClusterSpec(spec.name(), spec.server(), spec.origin(), fresh, spec.credential(),
                    spec.scrape(), spec.upstream(), spec.discovery());
            pools.replaceTls(UpstreamTls.clientContext(next));
            return "cluster " + spec.name() + ": TLS files changed; new connections use them";
        } catch (IOException | ConfigException | IllegalArgumentException e) {
            return "cluster " + spec.name() + ": TLS files changed but cannot be used, keeping the old: "
                    + e.getMessage();
        }
    }

    /** Whether a rejected credential can be replaced (exec plugins): worth one retry after a 401. */
    public boolean credentialsRefreshable() {
        return tokens.refreshable();
    }

    /** Fetches a fresh credential; completes when it is in place. Never runs on the caller's thread. */
    public CompletableFuture<Void> refreshCredentials() {
        return tokens.refresh();
    }

    /** This cluster's pool on the given event loop; call from that loop. */
    public UpstreamChannelPool pool(EventLoop loop) {
        return pools.on(loop);
    }

    /** Starts listing and watching what this cluster's discovery roles take, each watch on one of the group's loops. */
    public void startDiscovery(EventLoopGroup group) {
        discovery.start(group, pools, this::authorization, meters);
    }

    /** Before ADMIT: each caller's share of the cluster, and each target's cap of scrapes at once. */
    public Shares shares() {
        return shares;
    }

    /** ADMIT: the cluster's concurrent-scrape limit and wait line. */
    public Admission admission() {
        return admission;
    }

    /** The pods discovery knows, or null when discovery is off for this cluster (or its roles leave pods out). */
    public ClusterPods discovered() {
        return discovered;
    }

    /** The nodes discovery knows, or null when the cluster's discovery roles leave nodes out. */
    public WatchedObjects<NodeInfo> nodes() {
        return discovery.nodes();
    }

    /** The Services discovery knows, or null when the cluster's discovery roles leave endpoints out. */
    public WatchedObjects<ServiceInfo> services() {
        return discovery.services();
    }

    /** The EndpointSlices discovery knows, or null when the cluster's discovery roles leave endpoints out. */
    public WatchedObjects<EndpointSliceInfo> endpointSlices() {
        return discovery.slices();
    }

    /** Every store discovery fills for this cluster (none when discovery is off). */
    public List<WatchedObjects<?>> watchedStores() {
        return discovery.stores();
    }

    /** RESOLVE: the API-server path a scrape of this target goes to (a pod's from its pod and this cluster's settings). */
    public CompletableFuture<String> upstreamPath(Target target, EventLoop loop) {
        if (target instanceof PodTarget p) {
            return pod(p.namespace(), p.pod(), loop).thenApply(pod -> pathTo(p, pod));
        }
        return CompletableFuture.completedFuture(upstreamPathNow(target));
    }

    /**
     * RESOLVE without waiting, for the usual case: a node's or the API server's fixed path, or the pod-proxy path
     * of a pod already known (discovery's store or the cache); null when the pod must be looked up first
     * ({@link #upstreamPath}). Throws when the port cannot be resolved.
     */
    public String upstreamPathNow(Target target) {
        if (target instanceof NodeTarget n) {
            return UpstreamPaths.nodeProxy(n);
        }
        if (target instanceof ApiServerTarget) {
            return UpstreamPaths.apiServerMetrics();
        }
        if (target instanceof EndpointsTarget e) {
            return endpointPath(e);
        }
        PodTarget p = (PodTarget) target;
        PodInfo pod = discovered == null ? null : discovered.get(p.namespace(), p.pod());
        if (pod == null) {
            pod = pods.getNow(p.namespace(), p.pod());
        }
        return pod == null ? null : pathTo(p, pod);
    }

    /** A Service endpoint: the Service (from discovery) names the port, path and scheme on the pod. */
    private String endpointPath(EndpointsTarget target) {
        WatchedObjects<ServiceInfo> services = discovery.services();
        if (services == null) {
            throw new ScrapeException(ScrapeOutcome.UNKNOWN_SERVICE, "cluster " + name() + " does not watch Services: "
                    + "add endpoints to its discovery.roles");
        }
        ServiceInfo service = services.get(target.namespace() + "/" + target.service());
        if (service == null) {
            throw new ScrapeException(ScrapeOutcome.UNKNOWN_SERVICE, "no Service " + target.namespace() + "/"
                    + target.service() + " in cluster " + name() + " (as its watch last saw it)");
        }
        ScrapeEndpoint endpoint = ServiceEndpointResolver.resolve(target, service, spec.scrape());
        return UpstreamPaths.podProxy(target.asPod(endpoint.port()), endpoint);
    }

    private String pathTo(PodTarget target, PodInfo pod) {
        return UpstreamPaths.podProxy(target, PortResolver.resolve(target, pod, spec.scrape()));
    }

    /** RESOLVE's pod lookup: from discovery's store, else cached, else a GET over this loop's pool. */
    public CompletableFuture<PodInfo> pod(String namespace, String name, EventLoop loop) {
        PodInfo known = discovered == null ? null : discovered.get(namespace, name);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return pods.get(namespace, name,
                () -> PodFetch.start(spec, pools.on(loop), namespace, name, authorization(), loop));
    }

    /**
     * Stops the watches now (a reload replaced this cluster), leaving the pools to scrapes still under way until
     * {@link #close}.
     */
    public void stopDiscovery() {
        discovery.stop();
    }

    @Override
    public void close() {
        stopDiscovery();
        pools.close();
        unbindGauges.forEach(Runnable::run);
        if (tokens instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing to keep: the cluster is going away
            }
        }
    }
}
