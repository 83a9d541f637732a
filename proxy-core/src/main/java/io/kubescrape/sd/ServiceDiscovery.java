package io.kubescrape.sd;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.discovery.WatchedObjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Every cluster's targets, rendered in Prometheus' HTTP SD format: one group per target, the full list every time,
 * {@code []} when empty. A cluster's targets are rebuilt only when its pods or nodes changed (a generation moved), each
 * target's labels are already JSON, so a render is a copy; and the last rendering is kept, so Prometheus polling
 * an unchanged fleet costs a lookup.
 */
public final class ServiceDiscovery {
    private static final byte[] OPEN = "{\"targets\":[\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MIDDLE = "\"],\"labels\":".getBytes(StandardCharsets.UTF_8);

    private record ClusterTargets(String generation, List<ScrapeTarget> targets) {
    }

    private record Snapshot(String key, List<ScrapeTarget> targets) {
    }

    private record Rendered(String key, byte[] json) {
    }

    /** A rendering, and whether it was made for this call (false: the previous one was still current). */
    public record Document(byte[] json, boolean fresh) {
    }

    private final Supplier<ClusterRegistry> clusters;
    private final Map<Cluster, ClusterTargets> byCluster = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot("", List.of());
    private volatile Rendered rendered = new Rendered("", null);

    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    /** The stores already followed; weak, so a store a reload let go of is not kept alive by this. */
    private final Set<WatchedObjects<?>> followed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile ScheduledExecutorService builder;
    private volatile Supplier<String> usualAddress;

    public ServiceDiscovery(Supplier<ClusterRegistry> clusters) {
        this.clusters = clusters;
    }

    /**
     * Rebuilds changed clusters' targets in the background (debounced) whenever pods change, and renders the full
     * document for the usual address, so a /sd request never pays for building targets and usually not even for
     * copying them.
     */
    public void prebuildOnChange(ScheduledExecutorService executor, Supplier<String> address) {
        this.builder = executor;
        this.usualAddress = address;
        for (Cluster c : clusters.get().all()) {
            for (WatchedObjects<?> store : c.watchedStores()) {
                if (followed.add(store)) { // a cluster a reload kept: once is enough
                    store.onChange(this::scheduleBuild);
                }
            }
        }
    }

    private void scheduleBuild() {
        var executor = builder;
        if (executor != null && rebuildPending.compareAndSet(false, true)) {
            try {
                executor.schedule(() -> {
                    rebuildPending.set(false);
                    render(SdQuery.ALL, usualAddress.get()); // the document Prometheus most likely asks for
                }, 100, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // The server is stopping (a pod list can still complete meanwhile): nobody will ask for targets.
            }
        }
    }

    /**
     * True when the targets of the pods as they are now have been built (readiness waits for it). When they have
     * not, a background build is asked for: the caller, an event loop, never builds them itself.
     */
    public boolean upToDate() {
        if (snapshot.key.contentEquals(key())) {
            return true;
        }
        scheduleBuild();
        return false;
    }

    /** The current targets of every cluster with discovery on, by cluster (in config order), then path. */
    public List<ScrapeTarget> targets() {
        return current().targets;
    }

    /** What the targets depend on: every cluster's stores' generations. */
    private StringBuilder key() {
        StringBuilder key = new StringBuilder();
        for (Cluster c : clusters.get().all()) {
            if (c.spec().discovery().enabled()) {
                key.append(c.name()).append(':').append(generation(c)).append(';');
            }
        }
        return key;
    }

    private static String generation(Cluster c) {
        StringBuilder g = new StringBuilder();
        for (WatchedObjects<?> store : c.watchedStores()) {
            g.append(store.kind().role()).append(store.generation()).append('.');
        }
        return g.toString();
    }

    private Snapshot current() {
        StringBuilder key = key();
        Snapshot s = snapshot;
        if (s.key.contentEquals(key)) {
            return s;
        }
        List<ScrapeTarget> all = new ArrayList<>();
        for (Cluster c : clusters.get().all()) {
            if (c.spec().discovery().enabled()) {
                all.addAll(clusterTargets(c));
            }
        }
        byCluster.keySet().retainAll(clusters.get().all());
        s = new Snapshot(key.toString(), Collections.unmodifiableList(all));
        snapshot = s;
        return s;
    }

    /** One cluster's targets (its pods', nodes' and API server's), rebuilt only when a generation moved. */
    private List<ScrapeTarget> clusterTargets(Cluster c) {
        String generation = generation(c);
        ClusterTargets cached = byCluster.get(c);
        if (cached != null && cached.generation.equals(generation)) {
            return cached.targets;
        }
        List<ScrapeTarget> built = new ArrayList<>();
        ServiceIndex services = c.services() == null ? ServiceIndex.EMPTY : new ServiceIndex(c.services().all());
        if (c.discovered() != null) {
            List<ScrapeTarget> pods = TargetBuilder.build(c.spec(), c.discovered().all(), services);
            built.addAll(pods);
            if (c.spec().discovery().watches("aggregate")) {
                built.addAll(AggregateTargets.build(c.spec(), pods));
            }
        }
        if (c.services() != null) {
            built.addAll(EndpointTargets.build(c.spec(), c.services().all(), c.endpointSlices().all(),
                    c.discovered()));
        }
        if (c.nodes() != null) {
            built.addAll(ClusterWideTargets.nodes(c.spec(), c.nodes().all()));
        }
        if (c.spec().discovery().watches("apiserver")) {
            built.add(ClusterWideTargets.apiServer(c.spec()));
        }
        built.sort(Comparator.comparing(ScrapeTarget::path));
        byCluster.put(c, new ClusterTargets(generation, built));
        return built;
    }

    /** The HTTP SD document for {@code query}, with {@code address} (HOST:PORT of kubescrape) as every target. */
    public Document render(SdQuery query, String address) {
        Snapshot s = current();
        String key = s.key + '|' + address + '|' + query;
        Rendered r = rendered;
        if (r.key.equals(key)) {
            return new Document(r.json, false);
        }
        byte[] json = write(s.targets, query, address);
        rendered = new Rendered(key, json);
        return new Document(json, true);
    }

    /** Sizes the document exactly, then copies each target's pre-rendered labels into it once. */
    private static byte[] write(List<ScrapeTarget> targets, SdQuery query, String address) {
        byte[] addr = new String(JsonStringEncoder.getInstance().quoteAsString(address)).getBytes(StandardCharsets.UTF_8);
        int fixed = OPEN.length + addr.length + MIDDLE.length + 1;
        long size = 2;
        int matching = 0;
        for (ScrapeTarget t : targets) {
            if (query.matches(t)) {
                size += fixed + t.labelsJson().length;
                matching++;
            }
        }
        size += Math.max(0, matching - 1);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the SD document would exceed 2 GB; filter it with cluster= or shard=");
        }
        byte[] out = new byte[(int) size];
        int pos = 0;
        out[pos++] = '[';
        for (ScrapeTarget t : targets) {
            if (!query.matches(t)) {
                continue;
            }
            if (pos > 1) {
                out[pos++] = ',';
            }
            pos = put(out, pos, OPEN);
            pos = put(out, pos, addr);
            pos = put(out, pos, MIDDLE);
            pos = put(out, pos, t.labelsJson());
            out[pos++] = '}';
        }
        out[pos] = ']';
        return out;
    }

    private static int put(byte[] out, int pos, byte[] bytes) {
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return pos + bytes.length;
    }
}
