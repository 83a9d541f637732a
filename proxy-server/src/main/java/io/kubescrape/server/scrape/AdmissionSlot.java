package io.kubescrape.server.scrape;

import io.kubescrape.cluster.Admission;
import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.Shares;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.Target;
import java.util.concurrent.Executor;

/**
 * One scrape's part in ADMIT: first its share (with callers: a place under its target's cap and its caller's share
 * of the cluster; the unit of the cap is the pod or node, whatever port, endpoint or spelling the path used), then a
 * slot of the cluster's concurrent-scrape limit or a place in line. It gives back exactly what it got, whichever way
 * the scrape ends.
 */
public final class AdmissionSlot {
    private final Cluster cluster;
    private final String caller;
    private final Target target;
    /** The target's key, built once when a share is taken and used again to give it back. */
    private String key;
    private final Admission.Ticket[] ticket = new Admission.Ticket[1];
    private boolean shareHeld;
    private boolean held;

    /** @param caller the caller's name; null when callers are off (then no share is taken) */
    public AdmissionSlot(Cluster cluster, Target target, String caller) {
        this.cluster = cluster;
        this.caller = caller;
        this.target = target;
    }

    /**
     * True when admitted now; false when in line ({@code onAdmit} runs on {@code loop} when a slot frees); a 503
     * ScrapeException when the share or the line refuses it.
     */
    public boolean request(Executor loop, Runnable onAdmit) {
        takeShare();
        Admission.Decision d = cluster.admission().admit(loop, onAdmit, ticket);
        if (d == Admission.Decision.REJECTED) {
            throw cluster.admission().rejection(cluster.name());
        }
        held = d == Admission.Decision.ADMITTED;
        return held;
    }

    private void takeShare() {
        if (caller == null) {
            return; // shares are among tenants: without callers there are none
        }
        key = target.key();
        String refused = cluster.shares().take(caller, key);
        if (refused == null) {
            shareHeld = true;
            return;
        }
        cluster.meters().shed(caller, refused);
        if (refused.equals(Shares.TARGET)) {
            throw new ScrapeException(ScrapeOutcome.TARGET_BUSY, target.describe() + " of cluster " + cluster.name()
                    + " already has " + cluster.shares().perTarget() + " scrapes under way "
                    + "(upstream.max_concurrent_per_target)");
        }
        throw new ScrapeException(ScrapeOutcome.CALLER_OVER_SHARE, "caller " + caller + " already has "
                + cluster.shares().perCaller() + " scrapes of cluster " + cluster.name() + " under way "
                + "(upstream.caller_share)");
    }

    /** A queued request was admitted: the slot is held now. */
    public void granted() {
        held = true;
    }

    /** Admitted after the scrape already ended: hand the slot straight on. */
    public void grantedTooLate() {
        cluster.admission().release();
    }

    /** The scrape ended: release the slot, or leave the line; give the share back. */
    public void giveBack() {
        if (held) {
            held = false;
            cluster.admission().release();
        } else if (ticket[0] != null) {
            ticket[0].cancel();
        }
        if (shareHeld) {
            shareHeld = false;
            cluster.shares().giveBack(caller, key);
        }
    }
}
