package io.kubescrape.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cluster's circuit for new connections, shared by its pools: after {@code threshold} connect failures in a
 * row it opens, and scrapes needing a new connection fail at once instead of each waiting out the connect timeout;
 * after {@code cooldownMillis} one trial connection is let through, and its result closes or reopens the circuit.
 */
public final class CircuitBreaker {
    private final int threshold;
    private final long cooldownMillis;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong();

    public CircuitBreaker(int threshold, long cooldownMillis) {
        this.threshold = threshold;
        this.cooldownMillis = cooldownMillis;
    }

    /** Whether a new connection may be tried now; past the cooldown, exactly one caller gets the trial. */
    public boolean allowConnect() {
        long until = openUntil.get();
        if (until == 0) {
            return true;
        }
        long now = System.currentTimeMillis();
        return now >= until && openUntil.compareAndSet(until, now + cooldownMillis); // one trial per cooldown
    }

    public void connected() {
        failures.set(0);
        openUntil.set(0);
    }

    public void connectFailed() {
        if (failures.incrementAndGet() >= threshold) {
            openUntil.set(System.currentTimeMillis() + cooldownMillis);
        }
    }

    public boolean open() {
        return openUntil.get() != 0;
    }

    /** Milliseconds until the next trial, for messages. */
    public long retryInMillis() {
        return Math.max(0, openUntil.get() - System.currentTimeMillis());
    }

    public int consecutiveFailures() {
        return failures.get();
    }
}
