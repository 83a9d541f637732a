package io.kubescrape.server.scrape;

import io.kubescrape.cluster.Admission;
import java.util.concurrent.Executor;

/**
 * One scrape's part in ADMIT: it asks for a slot of the cluster's concurrent-scrape limit (or a place in line),
 * and gives back exactly what it got, whichever way the scrape ends.
 */
final class AdmissionSlot {
    private final Admission admission;
    private final Admission.Ticket[] ticket = new Admission.Ticket[1];
    private boolean held;

    AdmissionSlot(Admission admission) {
        this.admission = admission;
    }

    Admission.Decision request(Executor loop, Runnable onAdmit) {
        Admission.Decision d = admission.admit(loop, onAdmit, ticket);
        held = d == Admission.Decision.ADMITTED;
        return d;
    }

    /** A queued request was admitted: the slot is held now. */
    void granted() {
        held = true;
    }

    /** Admitted after the scrape already ended: hand the slot straight on. */
    void grantedTooLate() {
        admission.release();
    }

    /** The scrape ended: release the slot, or leave the line. */
    void giveBack() {
        if (held) {
            held = false;
            admission.release();
        } else if (ticket[0] != null) {
            ticket[0].cancel();
        }
    }
}
