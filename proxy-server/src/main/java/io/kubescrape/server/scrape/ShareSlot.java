package io.kubescrape.server.scrape;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.Shares;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.Target;

/**
 * One scrape's share before ADMIT: a place under its pod's cap and its caller's share of the cluster, held from
 * ADMIT to COMPLETE and given back exactly once. The unit of the cap is the pod, whatever port or spelling the
 * path used. Shares are among tenants: without callers (one operator's own Prometheus, a load test) there are none.
 */
final class ShareSlot {
    private final Cluster cluster;
    private final String caller;
    private final String pod;
    private boolean held;

    /** @param caller the caller's name; null when callers are off (then no share is taken) */
    ShareSlot(Cluster cluster, Target target, String caller) {
        this.cluster = cluster;
        this.caller = caller;
        this.pod = target.namespace() + "/" + target.pod();
    }

    /** Takes the share; null when taken, else the 503 to answer (and the shed is counted). */
    ScrapeException take() {
        if (caller == null) {
            return null;
        }
        String refused = cluster.shares().take(caller, pod);
        if (refused == null) {
            held = true;
            return null;
        }
        cluster.meters().shed(caller, refused);
        if (refused.equals(Shares.TARGET)) {
            return new ScrapeException(ScrapeOutcome.TARGET_BUSY, "pod " + pod + " of cluster " + cluster.name()
                    + " already has " + cluster.shares().perTarget() + " scrapes under way "
                    + "(upstream.max_concurrent_per_target)");
        }
        return new ScrapeException(ScrapeOutcome.CALLER_OVER_SHARE, "caller " + caller + " already has "
                + cluster.shares().perCaller() + " scrapes of cluster " + cluster.name() + " under way "
                + "(upstream.caller_share)");
    }

    void giveBack() {
        if (held) {
            held = false;
            cluster.shares().giveBack(caller, pod);
        }
    }
}
