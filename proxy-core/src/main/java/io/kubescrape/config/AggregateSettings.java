package io.kubescrape.config;

/**
 * The bounds of one aggregated scrape ({@code aggregate:} in the config file): how many bytes of samples it may
 * hold ({@code max_bytes}, e.g. {@code 64MiB}), how many pods a whole-cluster aggregate may take ({@code max_pods}),
 * and how many of its pods it fetches at once ({@code concurrency}; each also takes a slot of the cluster's
 * admission, like any scrape).
 */
public record AggregateSettings(long maxBytes, int maxPods, int concurrency) {
    public static final AggregateSettings BUILTIN = new AggregateSettings(64L << 20, 1000, 16);

    public AggregateSettings {
        if (maxBytes < 64 * 1024 || maxBytes > (1L << 31)) {
            throw new IllegalArgumentException("aggregate.max_bytes must be 64KiB-2GiB");
        }
        if (maxPods < 1 || maxPods > 100_000) {
            throw new IllegalArgumentException("aggregate.max_pods must be 1-100000");
        }
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("aggregate.concurrency must be 1-1000");
        }
    }

    /** The block as written: sizes as {@code 67108864}, {@code 64MiB} or {@code 64MB}; unset keys built in. */
    record Entry(String maxBytes, Integer maxPods, Integer concurrency) {
        AggregateSettings settings() {
            return new AggregateSettings(maxBytes == null ? BUILTIN.maxBytes : Sizes.bytes("aggregate.max_bytes", maxBytes),
                    maxPods == null ? BUILTIN.maxPods : maxPods,
                    concurrency == null ? BUILTIN.concurrency : concurrency);
        }
    }
}
