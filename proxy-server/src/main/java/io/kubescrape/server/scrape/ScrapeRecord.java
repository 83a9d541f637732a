package io.kubescrape.server.scrape;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.ClusterMeters;
import io.kubescrape.metrics.Shared;
import io.kubescrape.route.Target;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COMPLETE's bookkeeping for one scrape: its clock and byte count, recorded exactly once into the cluster's
 * meters, plus the one log line a failed scrape leaves (nothing on success; never a header or credential).
 */
public final class ScrapeRecord {
    private static final Logger LOG = LoggerFactory.getLogger("io.kubescrape.scrape");

    private final Target target;
    private final ClusterMeters meters;
    private final LastScrapes last;
    private final ScheduledExecutorService loop;
    private final Shared shared;
    private final long startNanos = System.nanoTime();
    private long bytes;
    private boolean recorded;

    /**
     * @param loop   the scrape's event loop, where it is recorded
     * @param shared how its answer was come by
     */
    public ScrapeRecord(Target target, ClusterMeters meters, LastScrapes last, ScheduledExecutorService loop,
                        Shared shared) {
        this.shared = shared;
        this.target = target;
        this.meters = meters;
        this.last = last;
        this.loop = loop;
        meters.scrapeStarted();
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    public void addBytes(long n) {
        bytes += n;
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Records the outcome and the status the scraper saw; later calls are ignored, so every path to COMPLETE can
     * call it.
     */
    public void finish(ScrapeOutcome outcome, int status, String detail) {
        if (recorded) {
            return;
        }
        recorded = true;
        long nanos = elapsedNanos();
        meters.scrapeFinished(outcome, target.role(), shared, nanos, bytes, loop);
        last.record(target.cluster(), target.lastScrapeKey(), new LastScrapes.LastScrape(status,
                outcome.tag(), nanos / 1_000_000, bytes, System.currentTimeMillis()));
        if (outcome.failed() && LOG.isWarnEnabled()) {
            LOG.warn("scrape failed role={} cluster={} {} outcome={} shared={} duration_ms={} detail=\"{}\"",
                    target.role().tag(), target.cluster(), target.logFields(), outcome.tag(), shared.tag(),
                    nanos / 1_000_000,
                    detail == null ? "" : detail.replace('"', '\''));
        }
    }

    /** The scrape handed its place to another (which records its own): it is not counted at all. */
    public void abandon() {
        if (!recorded) {
            recorded = true;
            meters.scrapeHandedOn();
        }
    }

    static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
