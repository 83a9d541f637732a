package io.kubescrape.discovery;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter: each wait is between half and all of min(cap, base * 2^attempt). */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    public Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    public long nextMillis() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        attempt++;
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    public void reset() {
        attempt = 0;
    }
}
