package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.sd.SdQuery;
import io.kubescrape.sd.ServiceDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
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
 * {@code --file-sd FILE}: the same targets as {@code /sd}, written whenever they change (debounced), atomically:
 * a temp file in the same folder renamed over the old one, so Prometheus never reads half a file. Nothing is
 * written before every cluster's first list, so a restart does not replace a good file with an empty one.
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
    /** The pod stores already followed; weak, so a store a reload let go of is not kept alive by this. */
    private final Set<ClusterPods> followed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private byte[] written;

    FileSdWriter(Path file, String address, ServiceDiscovery sd, Supplier<ClusterRegistry> clusters,
                 ProxyMetrics metrics) {
        this.file = file.toAbsolutePath();
        this.address = address;
        this.sd = sd;
        this.clusters = clusters;
        this.metrics = metrics;
    }

    void start() {
        watch(clusters.get());
        executor.scheduleWithFixedDelay(() -> {
            if (!started && clusters.get().all().stream().allMatch(c -> c.discovered() == null
                    || c.discovered().firstListDone())) {
                started = true;
                write();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Follows the pods of these clusters (at start, and after a reload swapped them in). */
    void watch(ClusterRegistry registry) {
        for (Cluster c : registry.all()) {
            if (c.discovered() != null && followed.add(c.discovered())) { // a cluster a reload kept: once is enough
                c.discovered().onChange(this::changed);
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
        byte[] json = sd.render(SdQuery.ALL, address).json();
        if (json == written) {
            return; // the same rendering: nothing changed since the last write
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.write(tmp, json);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = json;
            metrics.fileSdWritten(true);
        } catch (IOException e) {
            metrics.fileSdWritten(false);
            LOG.warn("cannot write file_sd {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
