package io.kubescrape.it;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.LiveBuffers;

/**
 * What "back to idle" means after a fault, read from both ends: kubescrape has no scrape in flight, no acquire
 * waiting and no busy upstream connection (HTTP/1.1) or open stream (HTTP/2) beyond the given ones (watches); the
 * API server sees exactly the
 * connections kubescrape's pools count open (none half-forgotten on either side); and the JVM holds the same
 * number of unreleased Netty buffers as before the fault, or fewer.
 */
record IdleState(double inFlight, double pendingAcquires, double open, double idle, double streams, int apiServerOpen,
                 long buffers) {

    static IdleState read(String kubescrapeUrl, KubeSimServer sim) throws Exception {
        String m = MetricsText.of(kubescrapeUrl);
        return new IdleState(MetricsText.sum(m, "kubescrape_scrapes_in_flight"),
                MetricsText.sum(m, "kubescrape_upstream_pending_acquires"),
                MetricsText.sum(m, "kubescrape_upstream_connections", "state", "open"),
                MetricsText.sum(m, "kubescrape_upstream_connections", "state", "idle"),
                MetricsText.sum(m, "kubescrape_upstream_streams"),
                sim == null ? -1 : sim.openConnections(), LiveBuffers.live());
    }

    /**
     * Waits up to 10 s for the idle state: {@code busy} upstream connections may stay in use (watches), and the
     * buffer count must not exceed {@code buffers} (or anything, when negative). Fails with the last state seen.
     */
    static IdleState await(String kubescrapeUrl, KubeSimServer sim, int busy, long buffers) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        IdleState s;
        do {
            s = read(kubescrapeUrl, sim);
            if (s.idleGiven(busy, buffers)) {
                return s;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not back to idle within 10 s (expected " + busy + " busy connection(s)"
                + (buffers >= 0 ? ", " + buffers + " live buffers" : "") + "): " + s);
    }

    private boolean idleGiven(int busy, long expectedBuffers) {
        // Over HTTP/2 the watches are streams, and several may share one busy connection.
        boolean watchesOnly = streams == 0 ? open - idle == busy : streams == busy && open - idle <= busy;
        return inFlight == 0 && pendingAcquires == 0 && watchesOnly
                && (apiServerOpen < 0 || apiServerOpen == open)
                // A leak only adds; a buffer that was in flight when the baseline was read may be gone since.
                && (expectedBuffers < 0 || buffers <= expectedBuffers);
    }
}
