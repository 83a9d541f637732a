package io.kubescrape.server.scrape;

/**
 * The stages of a scrape after the connection's PARSE and AUTHORIZE: RESOLVE → ADMIT → ACQUIRE → RELAY → COMPLETE.
 * RELAY has two steps, waiting for the response head and streaming the body. The allowed transitions are this
 * table and nothing else; {@link #to} refuses any other, so a wrong turn in the relay fails loudly in tests instead
 * of leaking a slot or a connection.
 */
enum ScrapeStage {
    RESOLVE("RESOLVE", "waiting for the pod lookup"),
    ADMIT("ADMIT", "waiting for the cluster's concurrent-scrape limit"),
    ACQUIRE("ACQUIRE", "waiting for an upstream connection"),
    RELAY_HEAD("RELAY", "waiting for the pod's response headers"),
    RELAY_BODY("RELAY", "reading the response"),
    COMPLETE("COMPLETE", "done");

    /** The design's name of the stage (both RELAY steps are RELAY). */
    final String stage;
    /** What a scrape in this stage is doing, for a timeout's message. */
    final String doing;

    ScrapeStage(String stage, String doing) {
        this.stage = stage;
        this.doing = doing;
    }

    /** Whether a scrape in this stage may go to {@code next}. Any stage may end in COMPLETE. */
    boolean allows(ScrapeStage next) {
        return next == COMPLETE && this != COMPLETE || switch (this) {
            case RESOLVE -> next == ADMIT;
            case ADMIT -> next == ACQUIRE;
            case ACQUIRE -> next == RELAY_HEAD;
            // Back to ACQUIRE only while nothing went downstream: a connection that broke before the response
            // head (retried fresh), or the API server's 401 for an expired credential (sent again, renewed).
            case RELAY_HEAD -> next == RELAY_BODY || next == ACQUIRE;
            case RELAY_BODY -> next == ACQUIRE;
            case COMPLETE -> false;
        };
    }

    /** {@code next}, when this stage may go there; a programming error otherwise. */
    ScrapeStage to(ScrapeStage next) {
        if (!allows(next)) {
            throw new IllegalStateException("a scrape cannot go from " + this + " to " + next);
        }
        return next;
    }

    boolean relaying() {
        return this == RELAY_HEAD || this == RELAY_BODY;
    }
}
