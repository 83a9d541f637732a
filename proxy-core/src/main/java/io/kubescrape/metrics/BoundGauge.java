package io.kubescrape.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One cluster's gauge whose source a reload replaces. A reload builds the cluster anew while the old one serves out
 * its grace period, and Micrometer ignores a second registration of the same name and tags: the gauge would keep
 * reading the old cluster's state, frozen once that closes. So the gauge is registered once and reads the newest
 * source still bound: the reload's cluster once it exists, the running one again if a failed reload lets go of its
 * own. It disappears when no source is left (the cluster dropped from the config, or its discovery turned off).
 */
final class BoundGauge {
    private final MeterRegistry registry;
    private final Gauge.Builder<BoundGauge> builder;
    private final List<Supplier<Number>> bound = new ArrayList<>(2);
    private volatile Supplier<Number> source;
    private Gauge gauge;

    BoundGauge(MeterRegistry registry, String name, String cluster, String description, String baseUnit) {
        this.registry = registry;
        this.builder = Gauge.builder(name, this, BoundGauge::value).description(description).baseUnit(baseUnit)
                .tag("cluster", cluster).strongReference(true);
    }

    /** Reads {@code source} from now on; returns what lets go of it again. */
    synchronized Runnable bind(Supplier<Number> source) {
        bound.add(source);
        this.source = source;
        if (gauge == null) {
            gauge = builder.register(registry);
        }
        return () -> unbind(source);
    }

    private synchronized void unbind(Supplier<Number> gone) {
        if (!bound.remove(gone)) {
            return;
        }
        if (!bound.isEmpty()) {
            source = bound.get(bound.size() - 1);
            return;
        }
        source = null;
        registry.remove(gauge);
        gauge = null;
    }

    private double value() {
        Supplier<Number> s = source;
        return s == null ? Double.NaN : s.get().doubleValue();
    }
}
