package io.kubescrape.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** kubescrape's own metrics: the one entry point to Micrometer. Served at {@code /metrics}. */
public final class ProxyMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, ClusterMeters> clusters = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Timer sdRender;
    private final Timer sdCached;
    private final Counter fileSdOk;
    private final Counter fileSdFailed;
    private final AtomicInteger reloadOk = new AtomicInteger(1);
    private final AtomicLong reloadAt = new AtomicLong(
            System.currentTimeMillis() / 1000);

    public ProxyMetrics() {
        registry.config().commonTags(List.of());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        ByteBufAllocatorMetricProvider provider = alloc instanceof ByteBufAllocatorMetricProvider p ? p
                : PooledByteBufAllocator.DEFAULT;
        new NettyAllocatorMetrics(provider).bindTo(registry);
        sdRender = sdTimer("rendered");
        sdCached = sdTimer("cached");
        fileSdOk = fileSdCounter("success");
        fileSdFailed = fileSdCounter("failure");
        Gauge.builder("kubescrape.config.last.reload.successful", reloadOk,
                AtomicInteger::get).description("Whether the last reload succeeded")
                .register(registry);
        Gauge.builder("kubescrape.config.last.reload.success.timestamp", reloadAt,
                AtomicLong::get).baseUnit("seconds")
                .description("When the configuration was last loaded successfully").register(registry);
    }

    /** A reload's result (the configuration at start counts as a success). */
    public void configReloaded(boolean ok) {
        Counter.builder("kubescrape.config.reloads").description("Configuration reloads run, by result")
                .tag("result", ok ? "success" : "failure").register(registry).increment();
        reloadOk.set(ok ? 1 : 0);
        if (ok) {
            reloadAt.set(System.currentTimeMillis() / 1000);
        }
    }

    private Timer sdTimer(String result) {
        return Timer.builder("kubescrape.sd.requests")
                .description("HTTP SD requests and the time to answer them (rendered anew, or from the last rendering)")
                .tag("result", result).publishPercentileHistogram(false)
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1))
                .register(registry);
    }

    private Counter fileSdCounter(String result) {
        return Counter.builder("kubescrape.file.sd.writes")
                .description("file_sd target file writes").tag("result", result).register(registry);
    }

    /** Downstream connections open, and those refused for being over limits.max_connections. */
    public void bindDownstream(Supplier<Number> open, AtomicLong rejected) {
        Gauge.builder("kubescrape.downstream.connections", open, s -> s.get().doubleValue())
                .description("Open connections from scrapers and browsers").strongReference(true).register(registry);
        FunctionCounter.builder("kubescrape.downstream.connections.rejected", rejected,
                        AtomicLong::get)
                .description("Connections closed at once for exceeding limits.max_connections").register(registry);
    }

    public void sdServed(long nanos, boolean rendered) {
        (rendered ? sdRender : sdCached).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void fileSdWritten(boolean ok) {
        (ok ? fileSdOk : fileSdFailed).increment();
    }

    /** The meters of one cluster; the same instance for the same name, so a reload keeps counting. */
    public ClusterMeters cluster(String name) {
        return clusters.computeIfAbsent(name, n -> new ClusterMeters(n, registry, new PoolStats()));
    }

    /** Scrapes under way now, over every cluster. */
    public int scrapesInFlight() {
        return clusters.values().stream().mapToInt(ClusterMeters::inFlight).sum();
    }

    /** Queue sizes and task counts of the server's event loops ({@code netty_eventexecutor_*}). */
    public void bindEventLoops(Iterable<EventExecutor> loops) {
        new NettyEventExecutorMetrics(loops).bindTo(registry);
    }

    /** The registry itself: for tests that read a meter; main code goes through this class's methods. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The exposition text for the given Accept header (OpenMetrics or Prometheus text). */
    public String scrape(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8")
                : registry.scrape();
    }

    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
