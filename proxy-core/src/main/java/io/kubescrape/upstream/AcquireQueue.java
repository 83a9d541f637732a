package io.kubescrape.upstream;

import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The acquires a pool cannot serve yet, oldest first, each failing by itself after the acquire timeout. Bounded,
 * so a stalled API server makes scrapes fail fast instead of piling up. Used on the pool's event loop only.
 */
final class AcquireQueue {
    private final EventLoop loop;
    private final PoolStats stats;
    private final int max;
    private final long waitMillis;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    private record Waiter(Promise<UpstreamLink> promise, ScheduledFuture<?> timeout) {
    }

    /** The queue of a cluster's pool: as long and as patient as its upstream settings allow. */
    AcquireQueue(EventLoop loop, PoolStats stats, UpstreamSettings settings) {
        this(loop, stats, settings.maxPendingAcquires(), settings.acquireTimeout().toMillis());
    }

    AcquireQueue(EventLoop loop, PoolStats stats, int max, long waitMillis) {
        this.loop = loop;
        this.stats = stats;
        this.max = max;
        this.waitMillis = waitMillis;
    }

    boolean isEmpty() {
        return waiters.isEmpty();
    }

    /**
     * Queues {@code promise}, or fails it at once when the queue is full; {@code exhausted} words the failure
     * from a detail ("for 5000 ms", "and 1024 scrapes are already waiting").
     */
    void add(Promise<UpstreamLink> promise, Function<String, ScrapeException> exhausted) {
        if (waiters.size() >= max) {
            promise.setFailure(exhausted.apply("and " + waiters.size() + " scrapes are already waiting"));
            return;
        }
        Waiter[] self = new Waiter[1];
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (waiters.remove(self[0])) {
                stats.pendingAcquires.decrementAndGet();
                promise.tryFailure(exhausted.apply("for " + waitMillis + " ms"));
            }
        }, waitMillis, TimeUnit.MILLISECONDS);
        self[0] = new Waiter(promise, timeout);
        waiters.addLast(self[0]);
        stats.pendingAcquires.incrementAndGet();
    }

    /** The oldest waiter, taken off the queue (its timeout cancelled), or null. */
    Promise<UpstreamLink> poll() {
        Waiter w = waiters.pollFirst();
        if (w == null) {
            return null;
        }
        stats.pendingAcquires.decrementAndGet();
        w.timeout.cancel(false);
        return w.promise;
    }

    int size() {
        return waiters.size();
    }

    void failAll(ScrapeException why) {
        Promise<UpstreamLink> p;
        while ((p = poll()) != null) {
            p.tryFailure(why);
        }
    }
}
