package io.kubescrape.cluster;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.metrics.ProxyMetrics;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The clusters of one config, by name; immutable, so a reload swaps the whole registry at once. */
public final class ClusterRegistry implements AutoCloseable {
    private final Map<String, Cluster> clusters;

    private ClusterRegistry(Map<String, Cluster> clusters) {
        this.clusters = Collections.unmodifiableMap(clusters);
    }

    public static ClusterRegistry create(ProxyConfig config, Class<? extends Channel> channelClass, int eventLoops,
                                         ProxyMetrics metrics) throws ConfigException {
        return create(config, channelClass, eventLoops, metrics, null);
    }

    /**
     * The clusters of {@code config}; a cluster whose spec is exactly as in {@code previous} (a reload that changed
     * nothing about it) is that same cluster, with its watches, pools and caches as they are.
     */
    public static ClusterRegistry create(ProxyConfig config, Class<? extends Channel> channelClass, int eventLoops,
                                         ProxyMetrics metrics, ClusterRegistry previous) throws ConfigException {
        Map<String, Cluster> map = new LinkedHashMap<>();
        List<Cluster> built = new ArrayList<>();
        try {
            for (ClusterSpec spec : config.clusters()) {
                Cluster kept = previous == null ? null : previous.get(spec.name());
                if (kept != null && kept.spec().equals(spec)) {
                    map.put(spec.name(), kept);
                    continue;
                }
                Cluster c = Cluster.create(spec, channelClass, eventLoops, metrics.cluster(spec.name()));
                built.add(c);
                map.put(spec.name(), c);
            }
        } catch (ConfigException e) {
            built.forEach(Cluster::close);
            throw e;
        }
        return new ClusterRegistry(map);
    }

    /** A registry of clusters built elsewhere (tests). */
    public static ClusterRegistry of(List<Cluster> clusters) {
        Map<String, Cluster> map = new LinkedHashMap<>();
        clusters.forEach(c -> map.put(c.name(), c));
        return new ClusterRegistry(map);
    }

    /** The cluster, or null. */
    public Cluster get(String name) {
        return clusters.get(name);
    }

    public Collection<Cluster> all() {
        return clusters.values();
    }

    /** The clusters of this registry that {@code next} does not keep: replaced or gone. */
    public List<Cluster> notIn(ClusterRegistry next) {
        List<Cluster> out = new ArrayList<>();
        for (Cluster c : clusters.values()) {
            if (next.get(c.name()) != c) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public void close() {
        clusters.values().forEach(Cluster::close);
    }
}
