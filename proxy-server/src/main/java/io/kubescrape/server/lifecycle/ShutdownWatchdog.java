package io.kubescrape.server.lifecycle;

import java.time.Duration;

/**
 * Ends a stop that does not end by itself. A stop waits for scrapes under way, then closes connections and event
 * loops; Netty's io_uring teardown waits for every submitted operation to complete, and once in a test run one never
 * did. A process asked to stop must exit all the same, so after the grace period and a margin this exits it.
 */
final class ShutdownWatchdog {
    static final Duration MARGIN = Duration.ofSeconds(10);

    private final Thread thread;

    /** @param onExpiry what ends the process (it runs once, on the watchdog's own thread) */
    ShutdownWatchdog(Duration limit, Runnable onExpiry) {
        thread = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException stopped) {
                return;
            }
            onExpiry.run();
        }, "kubescrape-shutdown-watchdog");
        thread.setDaemon(true);
    }

    ShutdownWatchdog start() {
        thread.start();
        return this;
    }

    /** The stop ended in time. */
    void cancel() {
        thread.interrupt();
    }
}
