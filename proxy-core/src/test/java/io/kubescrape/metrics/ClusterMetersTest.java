package io.kubescrape.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.TargetRole;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scrape timings reach the shared timers at once when nothing else is under way, else in batches. */
class ClusterMetersTest {
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final ClusterMeters meters = metrics.cluster("prod");

    private long count(String outcome) {
        Timer t = metrics.registry().find("kubescrape.scrape.duration").tag("outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    private long firstBytes() {
        return metrics.registry().find("kubescrape.upstream.first.byte").timer().count();
    }

    @Test
    void aScrapeAloneIsCountedAsSoonAsItEnds() {
        meters.scrapeStarted();
        meters.firstByte(TimeUnit.MILLISECONDS.toNanos(2));
        meters.scrapeFinished(ScrapeOutcome.SUCCESS, TimeUnit.MILLISECONDS.toNanos(3), 2048);
        assertThat(count("success")).isEqualTo(1);
        assertThat(firstBytes()).isEqualTo(1);
        assertThat(metrics.registry().find("kubescrape.scrape.duration").tag("outcome", "success").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        assertThat(meters.inFlight()).isZero();
    }

    @Test
    void underLoadTimingsArriveInBatchesAndAllOnceNothingIsUnderWay() {
        meters.scrapeStarted(); // a slow scrape stays under way throughout
        for (int i = 0; i < TimingBatch.SIZE - 1; i++) {
            meters.scrapeStarted();
            meters.scrapeFinished(i % 2 == 0 ? ScrapeOutcome.SUCCESS : ScrapeOutcome.TIMEOUT, 1_000_000, 10);
        }
        assertThat(count("success") + count("timeout")).as("held while the slow one runs").isZero();
        meters.scrapeStarted();
        meters.scrapeFinished(ScrapeOutcome.SUCCESS, 1_000_000, 10);
        assertThat(count("success") + count("timeout")).as("a full batch goes over").isEqualTo(TimingBatch.SIZE);
        assertThat(count("timeout")).isEqualTo(TimingBatch.SIZE / 2 - 1);
        meters.scrapeStarted();
        meters.scrapeFinished(ScrapeOutcome.SUCCESS, 1_000_000, 10);
        meters.scrapeFinished(ScrapeOutcome.POD_ERROR, 5_000_000_000L, 10); // the slow one
        assertThat(count("success")).isEqualTo(TimingBatch.SIZE / 2 + 2);
        assertThat(count("pod_error")).isEqualTo(1);
        assertThat(meters.inFlight()).isZero();
    }

    @Test
    void timingsHeldBehindASlowScrapeArriveWithinASecondOnTheirLoop() throws Exception {
        ScheduledExecutorService loop =
                Executors.newSingleThreadScheduledExecutor();
        try {
            loop.submit(() -> {
                meters.scrapeStarted(); // slow, under way throughout
                meters.scrapeStarted();
                meters.scrapeFinished(ScrapeOutcome.SUCCESS, TargetRole.POD, Shared.NO, 1_000_000, 10, loop);
            }).get();
            assertThat(count("success")).as("held at first").isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (count("success") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(count("success")).as("handed over by the loop's own timer").isEqualTo(1);
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void timingsFromAnotherThreadAreTheirOwnBatch() throws Exception {
        meters.scrapeStarted(); // under way on this thread
        Thread other = new Thread(() -> {
            meters.scrapeStarted();
            meters.scrapeFinished(ScrapeOutcome.SUCCESS, 1_000_000, 10);
        });
        other.start();
        other.join();
        assertThat(count("success")).as("the other thread had nothing else under way").isEqualTo(1);
    }

    private Double gauge(String name) {
        Gauge g = metrics.registry().find(name).tag("cluster", "prod").gauge();
        return g == null ? null : g.value();
    }

    @Test
    void aReloadedClusterGaugesItsOwnStateAndTheOldOneLettingGoRemovesNothing() {
        Runnable old = meters.bindDiscovery(() -> 40, () -> 2.5);
        assertThat(gauge("kubescrape.discovery.pods")).isEqualTo(40.0);
        Runnable fresh = meters.bindDiscovery(() -> 12, () -> 0.5); // the reload's cluster of the same name
        assertThat(gauge("kubescrape.discovery.pods")).isEqualTo(12.0);
        assertThat(gauge("kubescrape.discovery.staleness")).isEqualTo(0.5);
        old.run(); // the old cluster closes after its grace
        assertThat(gauge("kubescrape.discovery.pods")).isEqualTo(12.0);
        fresh.run(); // dropped from the config, or its discovery turned off
        assertThat(gauge("kubescrape.discovery.pods")).isNull();
        assertThat(gauge("kubescrape.discovery.staleness")).isNull();
        meters.bindDiscovery(() -> 7, () -> 1);
        assertThat(gauge("kubescrape.discovery.pods")).as("back with the next binding").isEqualTo(7.0);
    }

    @Test
    void aFailedReloadLettingGoOfItsClusterLeavesTheRunningOnesGauges() {
        meters.bindDiscovery(() -> 40, () -> 2.5); // running
        Runnable failed = meters.bindDiscovery(() -> 12, () -> 0.5); // built, then the reload failed on another
        failed.run();
        assertThat(gauge("kubescrape.discovery.pods")).isEqualTo(40.0);
        assertThat(gauge("kubescrape.discovery.staleness")).isEqualTo(2.5);
    }

    @Test
    void theCircuitGaugeFollowsTheNewestCluster() {
        Runnable old = meters.bindCircuit(() -> 1);
        meters.bindCircuit(() -> 0);
        old.run();
        assertThat(gauge("kubescrape.upstream.circuit.open")).isEqualTo(0.0);
    }
}
