package io.kubescrape.metrics;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.TargetRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One cluster's meters, resolved once so that recording a scrape is an array read and an add, never a registry
 * lookup. Tags: cluster, outcome, the target's role and whether the answer was shared, never pod or node.
 */
public final class ClusterMeters {
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final String cluster;
    private final MeterRegistry registry;
    private static final ScrapeOutcome[] OUTCOMES = ScrapeOutcome.values();
    private static final TargetRole[] ROLES = TargetRole.values();
    private static final Shared[] SHARED = Shared.values();
    /** Indexed by outcome, role and sharing ({@link #index}). */
    private final AtomicReferenceArray<Timer> scrapeDuration =
            new AtomicReferenceArray<>(OUTCOMES.length * ROLES.length * SHARED.length);
    private final Counter requestsSaved;
    private final Timer firstByte;
    private final Counter bytesRelayed;
    /** Striped: every scrape on every event loop adds and subtracts, a single atomic would be fought over. */
    private final LongAdder inFlight = new LongAdder();
    private final PoolStats pool;
    private final BoundGauge discoveredPods;
    private final BoundGauge discoveryStaleness;
    private final BoundGauge circuitOpen;
    private final ThreadLocal<TimingBatch> batches = ThreadLocal.withInitial(TimingBatch::new);

    ClusterMeters(String cluster, MeterRegistry registry, PoolStats pool) {
        this.cluster = cluster;
        this.registry = registry;
        this.pool = pool;
        this.discoveredPods = new BoundGauge(registry, "kubescrape.discovery.pods", cluster,
                "Pods the cluster's watches know", null);
        this.discoveryStaleness = new BoundGauge(registry, "kubescrape.discovery.staleness", cluster,
                "Seconds since a list or watch last confirmed the cluster's pods (-1: never)", "seconds");
        this.circuitOpen = new BoundGauge(registry, "kubescrape.upstream.circuit.open", cluster,
                "1 while new connections to the API server are refused after repeated failures", null);
        this.requestsSaved = Counter.builder("kubescrape.upstream.requests.saved")
                .description("Scrapes answered without an upstream request of their own: joined to an identical one "
                        + "in flight, or served from the share window")
                .tag("cluster", cluster).register(registry);
        this.firstByte = Timer.builder("kubescrape.upstream.first.byte")
                .description("Time from sending a scrape upstream to its response headers")
                .tag("cluster", cluster).serviceLevelObjectives(BUCKETS).register(registry);
        this.bytesRelayed = Counter.builder("kubescrape.relayed").baseUnit("bytes")
                .description("Response body bytes relayed from pods to scrapers")
                .tag("cluster", cluster).register(registry);
        registry.gauge("kubescrape.scrapes.in.flight", Tags.of("cluster", cluster),
                inFlight, LongAdder::sum);
        gauge("kubescrape.upstream.connections", "open", pool.open, "Upstream connections, connecting or open");
        gauge("kubescrape.upstream.connections", "idle", pool.idle, "Upstream connections idle in the pool");
        registry.gauge("kubescrape.upstream.streams", Tags.of("cluster", cluster),
                pool.streams);
        registry.gauge("kubescrape.upstream.pending.acquires",
                Tags.of("cluster", cluster), pool.pendingAcquires);
        functionCounter("kubescrape.upstream.tls.handshakes", "success", pool.handshakes);
        functionCounter("kubescrape.upstream.tls.handshakes", "failure", pool.handshakeFailures);
        FunctionCounter.builder("kubescrape.upstream.connect.failures",
                        pool.connectFailures, AtomicLong::get)
                .description("Upstream connection attempts that failed before TLS")
                .tag("cluster", cluster).register(registry);
    }

    /**
     * Publishes discovery's state: pods known and seconds since the store was last confirmed. Returns what lets go
     * of them: the gauges then read the newest other cluster of this name still bound, or go away.
     */
    public Runnable bindDiscovery(Supplier<Number> podsKnown,
                                  Supplier<Number> stalenessSeconds) {
        Runnable pods = discoveredPods.bind(podsKnown);
        Runnable staleness = discoveryStaleness.bind(stalenessSeconds);
        return () -> {
            pods.run();
            staleness.run();
        };
    }

    /** 1 while the cluster's circuit for new connections is open; returns what lets go of it (as above). */
    public Runnable bindCircuit(Supplier<Number> open) {
        return circuitOpen.bind(open);
    }

    /** A complete (paged) list of one scope took this long. */
    public void listed(long nanos) {
        Timer.builder("kubescrape.discovery.list.duration").description("Time to list one scope's pods, all pages")
                .tag("cluster", cluster).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A role's watch restarted: expired (410), stalled, disconnected, forbidden (403), watch_error or list_failed. */
    public void watchRestarted(String role, String reason) {
        Counter.builder("kubescrape.discovery.watch.restarts").description("Watch restarts, by role and reason")
                .tags("cluster", cluster, "role", role, "reason", reason).register(registry).increment();
    }

    /** A scrape refused its share before ADMIT: who asked ("anyone" without callers), and why. */
    public void shed(String caller, String reason) {
        Counter.builder("kubescrape.scrapes.shed")
                .description("Scrapes refused before admission: a caller over its share, or a target scraped too often "
                        + "at once")
                .tags("cluster", cluster, "caller", caller, "reason", reason).register(registry).increment();
    }

    /** One pod of an aggregated scrape ended: "success", or why it is down (timeout, parse_error, too_large, …). */
    public void aggregatePod(String outcome) {
        Counter.builder("kubescrape.aggregate.pods")
                .description("Pods fetched for aggregated scrapes, by outcome")
                .tags("cluster", cluster, "outcome", outcome).register(registry).increment();
    }

    /** A pod's family left out of an aggregate: its TYPE disagreed with the first pod's, or the name is reserved. */
    public void aggregateFamiliesDropped(int n) {
        if (n > 0) {
            Counter.builder("kubescrape.aggregate.families.dropped")
                    .description("Pods' families left out of aggregated scrapes (a conflicting TYPE, a reserved name)")
                    .tags("cluster", cluster).register(registry).increment(n);
        }
    }

    /** An object from the API server that discovery skipped: a name, namespace or port kubescrape cannot use. */
    public void objectRejected(String reason) {
        Counter.builder("kubescrape.discovery.objects.rejected")
                .description("Objects from the API server skipped by discovery, by reason")
                .tags("cluster", cluster, "reason", reason).register(registry).increment();
    }

    public PoolStats pool() {
        return pool;
    }

    /** Scrapes of this cluster under way now. */
    public int inFlight() {
        return inFlight.intValue();
    }

    /** A scrape began on this thread; {@link #scrapeFinished} follows on the same thread. */
    public void scrapeStarted() {
        inFlight.increment();
        batches.get().started();
    }

    /** A scrape counted by {@link #scrapeStarted} handed its place to another before it ended (same thread). */
    public void scrapeHandedOn() {
        inFlight.decrement();
        batches.get().handedOn();
    }

    /** A pod scrape ended, with no event loop to hand held timings over from. */
    public void scrapeFinished(ScrapeOutcome outcome, long nanos, long bytes) {
        scrapeFinished(outcome, TargetRole.POD, Shared.NO, nanos, bytes, null);
    }

    /**
     * @param loop the event loop this runs on: held timings are handed over from it within a second, whatever
     *             else happens (null: only by the batch's own rules)
     */
    public void scrapeFinished(ScrapeOutcome outcome, TargetRole role, Shared shared, long nanos, long bytes,
                               ScheduledExecutorService loop) {
        inFlight.decrement();
        if (shared.saved()) {
            requestsSaved.increment();
        }
        if (bytes > 0) {
            bytesRelayed.increment(bytes);
        }
        TimingBatch b = batches.get();
        if (b.finished(index(outcome, role, shared), nanos)) {
            record(b);
        } else if (loop != null && !b.handOverScheduled) {
            b.handOverScheduled = true;
            try {
                loop.schedule(() -> {
                    b.handOverScheduled = false;
                    record(b);
                }, TimingBatch.MAX_HOLD_NANOS, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                b.handOverScheduled = false;
                record(b);
            }
        }
    }

    public void firstByte(long nanos) {
        TimingBatch b = batches.get();
        if (b.firstByte(nanos)) {
            record(b);
        }
    }

    private void record(TimingBatch b) {
        for (int i = 0; i < b.finished; i++) {
            timer(b.outcomes[i]).record(b.durations[i], TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < b.firstByteCount; i++) {
            firstByte.record(b.firstBytes[i], TimeUnit.NANOSECONDS);
        }
        b.clear();
    }

    private static int index(ScrapeOutcome outcome, TargetRole role, Shared shared) {
        return (outcome.ordinal() * ROLES.length + role.ordinal()) * SHARED.length + shared.ordinal();
    }

    private Timer timer(int index) {
        Timer t = scrapeDuration.get(index);
        if (t == null) {
            t = Timer.builder("kubescrape.scrape.duration")
                    .description("Scrapes relayed, by cluster, outcome, role and sharing, from request to last byte")
                    .tags("cluster", cluster, "outcome", OUTCOMES[index / SHARED.length / ROLES.length].tag(),
                            "role", ROLES[index / SHARED.length % ROLES.length].tag(),
                            "shared", SHARED[index % SHARED.length].tag())
                    .serviceLevelObjectives(BUCKETS).register(registry);
            scrapeDuration.set(index, t);
        }
        return t;
    }

    private void gauge(String name, String state, AtomicInteger value, String description) {
        Gauge.builder(name, value, AtomicInteger::get).description(description)
                .tags("cluster", cluster, "state", state).register(registry);
    }

    private void functionCounter(String name, String result, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get)
                .description("TLS handshakes with the API server").tags("cluster", cluster, "result", result)
                .register(registry);
    }
}
