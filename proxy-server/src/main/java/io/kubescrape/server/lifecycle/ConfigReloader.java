package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.auth.PasswordCheck;
import io.kubescrape.server.state.LiveConfig;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration (SIGHUP or POST /-/reload): the new clusters and callers are built completely before
 * anything changes, then swapped in at once; a bad configuration keeps the old one. Scrapes in flight finish on
 * the clusters they started with, which are closed only after the longest scrape timeout has passed.
 */
final class ConfigReloader {
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
    private final Set<ClusterRegistry> retired = ConcurrentHashMap.newKeySet();

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

    /** Closes the clusters replaced by reloads whose grace has not run out yet (at shutdown). */
    void closeRetired() {
        for (ClusterRegistry r : retired) {
            if (retired.remove(r)) {
                r.close();
            }
        }
    }

    /** Null when the new configuration is in place, else why the running one was kept. */
    synchronized String reload() {
        ClusterRegistry fresh = null;
        try {
            ProxyConfig next = source.load();
            fresh = ClusterRegistry.create(next, channelClass, eventLoops, metrics);
            Callers callers = new Callers(next.callers(), passwords);
            if (!next.listen().equals(running.listen()) || !Objects.equals(next.tls(), running.tls())
                    || !next.limits().equals(running.limits()) || next.ioThreads() != running.ioThreads()) {
                LOG.warn("reload: listen, io_threads, tls and limits take effect only after a restart");
            }
            next.warnings().forEach(w -> LOG.warn("{}", w));
            ClusterRegistry old = live.swap(fresh, callers);
            attach.accept(fresh);
            long grace = old.all().stream().mapToLong(c -> c.spec().upstream().maxScrapeTimeout().toMillis())
                    .max().orElse(0) + Duration.ofSeconds(5).toMillis();
            retired.add(old);
            closer.schedule(() -> {
                if (retired.remove(old)) {
                    old.close();
                }
            }, grace, TimeUnit.MILLISECONDS);
            metrics.configReloaded(true);
            LOG.info("configuration reloaded: clusters {}", fresh.all().stream().map(c -> c.name()).toList());
            return null;
        } catch (ConfigException | RuntimeException e) {
            if (fresh != null) {
                fresh.close();
            }
            metrics.configReloaded(false);
            LOG.error("reload failed, keeping the running configuration: {}", e.getMessage());
            return e.getMessage();
        }
    }
}
