package io.kubescrape.metrics;

/**
 * Scrape timings of one cluster recorded on one thread (an event loop), held for a moment before they go into the
 * shared Micrometer timers. Both event loops recording every scrape into the same histogram bucket made that
 * bucket's cache line move between cores on every scrape (3 % of a small scrape's CPU); a batch moves it once.
 *
 * <p>A batch is handed over when this thread has no scrape of the cluster under way (so an idle or lightly loaded
 * proxy shows every scrape at once), when it is full, or by a timer on its thread a second after it began to hold
 * timings ({@link ClusterMeters} arms it: a slow scrape under way must not hold the others back until it ends).
 */
final class TimingBatch {
    static final int SIZE = 32;
    static final long MAX_HOLD_NANOS = 1_000_000_000L;

    /** Each finished scrape's timer: its outcome and role, as ClusterMeters indexes them. */
    final int[] outcomes = new int[SIZE];
    final long[] durations = new long[SIZE];
    int finished;
    final long[] firstBytes = new long[SIZE];
    int firstByteCount;
    private int underWay;
    /** A hand-over is scheduled on this batch's thread (so held timings wait at most {@link #MAX_HOLD_NANOS}). */
    boolean handOverScheduled;

    void started() {
        underWay++;
    }

    void handedOn() {
        underWay--;
    }

    /** Adds a finished scrape; true when the batch should be handed over now. */
    boolean finished(int outcome, long nanos) {
        underWay--;
        outcomes[finished] = outcome;
        durations[finished++] = nanos;
        return underWay <= 0 || finished == SIZE || firstByteCount == SIZE;
    }

    /** Adds a time to first byte; true when there is no room for another. */
    boolean firstByte(long nanos) {
        firstBytes[firstByteCount++] = nanos;
        return firstByteCount == SIZE;
    }

    void clear() {
        finished = 0;
        firstByteCount = 0;
    }
}
