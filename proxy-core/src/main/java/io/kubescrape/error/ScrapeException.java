package io.kubescrape.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failed stage of a scrape. Carries its row of the outcome table and a one-line detail for the error body.
 * No stack trace: these are expected, frequent and explained by their message.
 */
public final class ScrapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ScrapeOutcome outcome;

    /** @param detail what happened, in words; text from outside in it is escaped here, for the body and the log */
    public ScrapeException(ScrapeOutcome outcome, String detail) {
        super(detail == null || detail.isEmpty() ? outcome.message() : OutsideText.escape(detail), null, false, false);
        this.outcome = outcome;
    }

    public ScrapeException(ScrapeOutcome outcome) {
        this(outcome, null);
    }

    public ScrapeOutcome outcome() {
        return outcome;
    }

    /** The one-line text body sent downstream: which hop failed and why. */
    public String body() {
        Hop hop = outcome.hop() == null ? Hop.KUBESCRAPE : outcome.hop();
        return hop.label() + ": " + getMessage() + "\n";
    }

    /** Unwraps completion wrappers and maps anything unexpected to an upstream failure. */
    public static ScrapeException from(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException
                || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ScrapeException se) {
            return se;
        }
        return new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, String.valueOf(cause.getMessage()));
    }
}
