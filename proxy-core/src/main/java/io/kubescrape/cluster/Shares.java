package io.kubescrape.cluster;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Fairness inside one cluster's admission: no one caller takes more than its share of what the cluster can carry at
 * once, and no one target is scraped more than a few times at once (the same pod scraped 70 times at once is a
 * fault, not load). Counted before ADMIT, from the scrape's start to its end, so a caller's waiting scrapes count
 * too. Entries that drop to zero are removed, so the maps hold only what is under way.
 */
public final class Shares {
    /** Why a scrape was refused its share: {@link #CALLER} or {@link #TARGET}. */
    public static final String CALLER = "caller_share";
    public static final String TARGET = "target_busy";

    private final IntSupplier perCaller;
    private final int perTarget;
    private final ConcurrentMap<String, AtomicInteger> callers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> targets = new ConcurrentHashMap<>();

    public Shares(int perCaller, int perTarget) {
        this(() -> perCaller, perTarget);
    }

    /** @param perCaller read at each take: under {@code upstream.protocol: auto} it grows once HTTP/2 is picked */
    public Shares(IntSupplier perCaller, int perTarget) {
        this.perCaller = perCaller;
        this.perTarget = perTarget;
    }

    /**
     * Takes one share for a scrape of {@code target} by {@code caller} (null: callers are off, so no caller share);
     * null when taken, else why not ({@link #CALLER} or {@link #TARGET}), with nothing taken.
     */
    public String take(String caller, String target) {
        if (!take(targets, target, perTarget)) {
            return TARGET;
        }
        if (caller != null && !take(callers, caller, perCaller.getAsInt())) {
            giveBack(targets, target);
            return CALLER;
        }
        return null;
    }

    /** Gives back what {@link #take} took for the same caller and target. */
    public void giveBack(String caller, String target) {
        giveBack(targets, target);
        if (caller != null) {
            giveBack(callers, caller);
        }
    }

    public int perCaller() {
        return perCaller.getAsInt();
    }

    public int perTarget() {
        return perTarget;
    }

    private static boolean take(ConcurrentMap<String, AtomicInteger> counts, String key, int limit) {
        boolean[] taken = new boolean[1];
        counts.compute(key, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            if (c.get() < limit) {
                c.incrementAndGet();
                taken[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return taken[0];
    }

    private static void giveBack(ConcurrentMap<String, AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }
}
