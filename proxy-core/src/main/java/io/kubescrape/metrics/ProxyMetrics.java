package io.kubescrape.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** kubescrape's own metrics: the one entry point to Micrometer. Served at {@code /metrics}. */
public final class ProxyMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, ClusterMeters> clusters = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ProxyMetrics() {
        registry.config().commonTags(java.util.List.of());
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
    }

    /** The meters of one cluster; the same instance for the same name, so a reload keeps counting. */
    public ClusterMeters cluster(String name) {
        return clusters.computeIfAbsent(name, n -> new ClusterMeters(n, registry, new PoolStats()));
    }

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
