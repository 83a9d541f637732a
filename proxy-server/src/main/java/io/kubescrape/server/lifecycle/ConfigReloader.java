package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.auth.PasswordCheck;
import io.kubescrape.server.state.LiveConfig;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration (SIGHUP or POST /-/reload): the new clusters and callers are built completely before
 * anything changes, then swapped in at once; a bad configuration keeps the old one. Reloads run one at a time on a
 * thread of their own, at most one every {@link #MIN_INTERVAL}: a request while one runs joins the next, and every
 * request until that one starts shares it, so a burst of requests costs the API servers one reload. A cluster whose
 * spec did not change is kept as it is (watches, pools, caches); a replaced or removed one stops watching at once
 * and is closed once the longest scrape timeout has passed, so scrapes in flight finish on it.
 */
final class ConfigReloader implements AutoCloseable {
    /** The least time between the starts of two reloads. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final ConfigSource source;
    private final LiveConfig live;
    private final PasswordCheck passwords;
    private final ProxyConfig running;
    private final ProxyMetrics metrics;
    private final Class<? extends Channel> channelClass;
    private final int eventLoops;
    private final ScheduledExecutorService closer;
    private final Consumer<ClusterRegistry> attach;
    private final Set<Cluster> retired = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubescrape-reload");
        t.setDaemon(true);
        return t;
    });
    /** The reload the next requests join; null while none is waiting to start. Guarded by this. */
    private CompletableFuture<String> next;
    private long lastStart;
    private boolean ran;

    /** @param attach starts discovery, SD prebuilds and file_sd for newly swapped-in clusters */
    ConfigReloader(ConfigSource source, LiveConfig live, PasswordCheck passwords, ProxyConfig running,
                   ProxyMetrics metrics, Class<? extends Channel> channelClass, int eventLoops,
                   ScheduledExecutorService closer, Consumer<ClusterRegistry> attach) {
        this.source = source;
        this.live = live;
        this.passwords = passwords;
        this.running = running;
        this.metrics = metrics;
        this.channelClass = channelClass;
        this.eventLoops = eventLoops;
        this.closer = closer;
        this.attach = attach;
    }

    /** Asks for a reload; completes with null once the new configuration is in place, else why the old was kept. */
    synchronized CompletableFuture<String> request() {
        if (next == null) {
            next = new CompletableFuture<>();
            long wait = ran ? Math.max(0, lastStart + MIN_INTERVAL.toNanos() - System.nanoTime()) : 0;
            runner.schedule(this::runNext, wait, TimeUnit.NANOSECONDS);
        }
        return next;
    }

    private void runNext() {
        CompletableFuture<String> joined;
        synchronized (this) {
            joined = next;
            next = null;
            lastStart = System.nanoTime();
            ran = true;
        }
        String result;
        try {
            result = reload();
        } catch (RuntimeException e) {
            result = e.toString();
        }
        joined.complete(result);
    }

    /** Null when the new configuration is in place, else why the running one was kept. */
    private String reload() {
        ClusterRegistry current = live.clusters();
        ClusterRegistry fresh = null;
        try {
            ProxyConfig next = source.load();
            fresh = ClusterRegistry.create(next, channelClass, eventLoops, metrics, current);
            Callers callers = new Callers(next.callers(), passwords);
            if (!next.listen().equals(running.listen()) || !Objects.equals(next.tls(), running.tls())
                    || !next.limits().equals(running.limits()) || next.ioThreads() != running.ioThreads()) {
                LOG.warn("reload: listen, io_threads, tls and limits take effect only after a restart");
            }
            next.warnings().forEach(w -> LOG.warn("{}", w));
            ClusterRegistry old = live.swap(fresh, callers, next.aggregate());
            List<Cluster> gone = old.notIn(fresh);
            gone.forEach(Cluster::stopDiscovery); // their watches end now; their pools serve scrapes under way
            attach.accept(fresh);
            retire(gone);
            metrics.configReloaded(true);
            LOG.info("configuration reloaded: clusters {}, {} kept as they were", fresh.all().stream()
                    .map(Cluster::name).toList(), fresh.all().size() - fresh.notIn(old).size());
            return null;
        } catch (ConfigException | RuntimeException e) {
            if (fresh != null) {
                fresh.notIn(current).forEach(Cluster::close); // only what this attempt built
            }
            metrics.configReloaded(false);
            LOG.error("reload failed, keeping the running configuration: {}", e.getMessage());
            return e.getMessage();
        }
    }

    /** Closes clusters a reload let go of once the longest of their scrape timeouts (and 5 s) has passed. */
    private void retire(List<Cluster> gone) {
        long grace = gone.stream().mapToLong(c -> c.spec().upstream().maxScrapeTimeout().toMillis()).max().orElse(0)
                + Duration.ofSeconds(5).toMillis();
        retired.addAll(gone);
        closer.schedule(() -> gone.forEach(c -> {
            if (retired.remove(c)) {
                c.close();
            }
        }), grace, TimeUnit.MILLISECONDS);
    }

    /** Stops reloading and closes the clusters whose grace has not run out yet (at shutdown). */
    @Override
    public void close() {
        runner.shutdownNow();
        for (Cluster c : retired) {
            if (retired.remove(c)) {
                c.close();
            }
        }
    }
}
