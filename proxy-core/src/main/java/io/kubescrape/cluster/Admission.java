package io.kubescrape.cluster;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ADMIT: at most {@code maxConcurrent} scrapes of one cluster at once, across all event loops, and at most
 * {@code maxQueued} waiting for a slot; beyond that a scrape is refused (503 with Retry-After). The API server
 * treats proxy requests as long-running and exempts them from its own limits, so this is the only protection it has.
 */
public final class Admission {
    /** A scrape's place in line; cancel it when the scrape ends before it was admitted. */
    public static final class Ticket {
        private final Executor loop;
        private final Runnable onAdmit;
        private final AtomicBoolean cancelled = new AtomicBoolean();

        Ticket(Executor loop, Runnable onAdmit) {
            this.loop = loop;
            this.onAdmit = onAdmit;
        }

        public void cancel() {
            cancelled.set(true);
        }
    }

    /** What admit() decided. */
    public enum Decision { ADMITTED, QUEUED, REJECTED }

    private final int maxConcurrent;
    private final int maxQueued;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Ticket> line = new ConcurrentLinkedQueue<>();

    public Admission(int maxConcurrent, int maxQueued) {
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /** ADMITTED: go on now. QUEUED: {@code onAdmit} runs on {@code loop} when a slot frees. REJECTED: 503. */
    public Decision admit(Executor loop, Runnable onAdmit, Ticket[] ticket) {
        if (inFlight.incrementAndGet() <= maxConcurrent) {
            return Decision.ADMITTED;
        }
        inFlight.decrementAndGet();
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return Decision.REJECTED;
        }
        ticket[0] = new Ticket(loop, onAdmit);
        line.add(ticket[0]);
        drain(); // a slot may have freed between the check and joining the line
        return Decision.QUEUED;
    }

    /** An admitted scrape finished: its slot goes to the next in line, if any. */
    public void release() {
        inFlight.decrementAndGet();
        drain();
    }

    private void drain() {
        while (!line.isEmpty()) {
            if (inFlight.incrementAndGet() > maxConcurrent) {
                inFlight.decrementAndGet();
                return;
            }
            Ticket next = line.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                return;
            }
            queued.decrementAndGet();
            if (next.cancelled.get()) {
                inFlight.decrementAndGet(); // the scrape is gone: pass the slot on
                continue;
            }
            next.loop.execute(next.onAdmit);
        }
    }

    /** The failure a refused scrape answers with. */
    public ScrapeException rejection(String cluster) {
        return new ScrapeException(ScrapeOutcome.ADMISSION_REJECTED, "cluster "
                + cluster + " already has " + maxConcurrent + " scrapes under way and " + maxQueued
                + " waiting (upstream.max_concurrent_scrapes, max_queued_scrapes)");
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int queued() {
        return queued.get();
    }
}
