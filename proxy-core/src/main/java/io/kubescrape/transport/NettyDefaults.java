package io.kubescrape.transport;

/**
 * Netty settings kubescrape changes from Netty's own defaults. They are read once, when the Netty class that uses
 * them loads, so {@link #apply} runs first thing in main (and from {@link Transport}, for embedded use). An
 * operator's own {@code -D} always wins.
 */
public final class NettyDefaults {
    static final String MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";
    static final String LOW_MEMORY = "io.netty.allocator.lowMemory";

    private NettyDefaults() {
    }

    public static void apply() {
        // Netty's io_uring waits for readability with a multishot poll, which reports a change once: a reset that
        // arrives while the relay has paused reading (downstream backpressure) was seen to be lost, leaving the
        // scrape to its timeout instead of ending at once as truncated (TransportTest). One-shot polls, re-armed
        // per wait, do not lose it.
        setUnlessSet(MULTISHOT_POLL, "false");
        // Netty's buffer allocator goes into a low-memory mode when the heap limit is 512 MB or less, as it is with
        // the recommended -Xmx256m, but kubescrape's buffers are direct memory, not heap. In that mode every buffer
        // over 16 KB (socket reads of a large body, 64 KB body pieces) is a fresh, zero-filled allocation freed
        // right after: 8 % of the CPU of a 57.5 KB scrape, measured. Pooled, they cost next to nothing.
        setUnlessSet(LOW_MEMORY, "false");
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
