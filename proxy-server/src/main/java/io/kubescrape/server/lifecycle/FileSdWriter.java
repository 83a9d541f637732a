package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.discovery.WatchedObjects;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.route.TargetRole;
import io.kubescrape.sd.SdQuery;
import io.kubescrape.sd.ServiceDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --file-sd FILE}: the same targets as {@code /sd}, one file per role: the pods in FILE itself (as before
 * there were other roles), the nodes' in {@code FILE-node}, the API servers' in {@code FILE-apiserver} and the
 * Service endpoints' in {@code FILE-endpoints} (before the extension: {@code targets.json},
 * {@code targets-node.json}), each only once some cluster's {@code discovery.roles}
 * takes that role. Written whenever they change (debounced), atomically: a temp file in the same folder renamed
 * over the old one, so Prometheus never reads half a file. Nothing is written before every cluster's first lists,
 * so a restart does not replace a good file with an empty one.
 */
final class FileSdWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileSdWriter.class);
    private static final long DEBOUNCE_MILLIS = 250;

    private final Path file;
    private final String address;
    private final ServiceDiscovery sd;
    private final Supplier<ClusterRegistry> clusters;
    private final ProxyMetrics metrics;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubescrape-file-sd");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean started;
    /** The stores already followed; weak, so a store a reload let go of is not kept alive by this. */
    private final Set<WatchedObjects<?>> followed =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Map<TargetRole, byte[]> written = new EnumMap<>(TargetRole.class);

    FileSdWriter(Path file, String address, ServiceDiscovery sd, Supplier<ClusterRegistry> clusters,
                 ProxyMetrics metrics) {
        this.file = file.toAbsolutePath();
        this.address = address;
        this.sd = sd;
        this.clusters = clusters;
        this.metrics = metrics;
    }

    /** The file a role's targets go to: FILE for pods, FILE-role (before FILE's extension) for the others. */
    static Path fileFor(Path file, TargetRole role) {
        if (role == TargetRole.POD) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling(dot > 0 ? name.substring(0, dot) + "-" + role.tag() + name.substring(dot)
                : name + "-" + role.tag());
    }

    void start() {
        watch(clusters.get());
        executor.scheduleWithFixedDelay(() -> {
            if (!started && clusters.get().all().stream().allMatch(c -> c.watchedStores().stream()
                    .allMatch(WatchedObjects::firstListDone))) {
                started = true;
                write();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Follows the stores of these clusters (at start, and after a reload swapped them in). */
    void watch(ClusterRegistry registry) {
        for (Cluster c : registry.all()) {
            for (WatchedObjects<?> store : c.watchedStores()) {
                if (followed.add(store)) { // a cluster a reload kept: once is enough
                    store.onChange(this::changed);
                }
            }
        }
        changed();
    }

    private void changed() {
        if (started && pending.compareAndSet(false, true)) {
            executor.schedule(() -> {
                pending.set(false);
                write();
            }, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void write() {
        for (TargetRole role : TargetRole.values()) {
            if (role == TargetRole.POD || clusters.get().all().stream()
                    .anyMatch(c -> c.spec().discovery().watches(role.tag()))) {
                write(role, sd.render(SdQuery.ALL.withRoles(Set.of(role)), address).json());
            }
        }
    }

    private void write(TargetRole role, byte[] json) {
        if (Arrays.equals(json, written.get(role))) {
            return; // nothing changed since the last write
        }
        Path target = fileFor(file, role);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.write(tmp, json);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written.put(role, json);
            metrics.fileSdWritten(true);
        } catch (IOException e) {
            metrics.fileSdWritten(false);
            LOG.warn("cannot write file_sd {}: {}", target, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
