package io.kubescrape.server.scrape;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.server.http.Responses;
import io.netty.channel.ChannelHandlerContext;

/**
 * The caller's side of a relay: its answer and its outcome, each given once. Usually when the upstream exchange
 * ends; earlier when the caller leaves an exchange that identical scrapes follow (timed out, gone, or too slow for
 * them), which then goes on without it.
 */
final class RelayCaller {
    private final ChannelHandlerContext downstream;
    private final Downstream owner;
    private final Scrape scrape;
    private final ScrapeRecord record;
    private final boolean keepAlive;
    private final Followers followers;
    private boolean answered;

    /** @param followers the identical scrapes that may follow the relay's upstream request, or null */
    RelayCaller(ChannelHandlerContext downstream, Downstream owner, Scrape scrape, ScrapeRecord record,
                boolean keepAlive, Followers followers) {
        this.followers = followers;
        this.downstream = downstream;
        this.owner = owner;
        this.scrape = scrape;
        this.record = record;
        this.keepAlive = keepAlive;
    }

    /** The caller has its outcome: nothing more is written to its connection by this relay. */
    boolean answered() {
        return answered;
    }

    /**
     * The upstream exchange ended ({@code failure} null: the whole response went by): the followers are told, then
     * this caller, unless it left before.
     */
    void exchangeEnded(ScrapeOutcome result, ScrapeException failure, ResponseForwarder response) {
        if (followers != null) {
            if (failure == null) {
                followers.completed(result);
            } else {
                followers.failed(failure);
            }
        }
        if (failure == null) {
            relayed(result, response.status());
        } else {
            failed(failure, response != null && response.headersSent());
        }
    }

    /** The whole response went downstream, with the pod's {@code status}: serve the next request, or close. */
    private void relayed(ScrapeOutcome outcome, int status) {
        if (!answered) {
            answered = true;
            record.finish(outcome, status, null);
            owner.ended(scrape);
            owner.relayed(keepAlive);
        }
    }

    /** The table's error response, or a cut connection once a head went out; nothing for a caller who left. */
    void failed(ScrapeException e, boolean headersSent) {
        if (answered) {
            return;
        }
        answered = true;
        record.finish(e.outcome(), e.outcome().status(), e.getMessage());
        owner.ended(scrape);
        if (e.outcome() == ScrapeOutcome.DOWNSTREAM_CLOSED) {
            return;
        }
        if (headersSent) {
            downstream.flush(); // what came goes out (a short body's tail may have waited), then the cut
            downstream.close();
        } else {
            owner.respond(Responses.error(downstream.alloc(), e), keepAlive);
        }
    }

    /**
     * Whether the relay reads on though this caller's connection is full: yes while others follow, whom a slow
     * caller must not hold back; a caller more than their bound behind is cut off as truncated.
     */
    boolean readOnForFollowers(ResponseForwarder response, Runnable abandon) {
        if (followers == null || !followers.any()) {
            return false;
        }
        if (!answered && downstream.channel().bytesBeforeWritable() > followers.bound()) {
            leave(new ScrapeException(ScrapeOutcome.TRUNCATED, "the caller fell more than " + followers.bound()
                    + " bytes behind the scrapes sharing its upstream request"), response, abandon);
        }
        return true;
    }

    /**
     * This caller ends early (timed out, too slow, gone) while identical scrapes follow the relay's upstream
     * request: it gets its answer and outcome now, and the exchange goes on for the others until {@code abandon}.
     */
    boolean leave(ScrapeException e, ResponseForwarder response, Runnable abandon) {
        if (followers == null || !followers.any() || answered) {
            return false;
        }
        boolean headersSent = response != null && response.headersSent();
        if (response != null) {
            response.detach();
        }
        failed(e, headersSent);
        followers.leaderLeft(abandon);
        return true;
    }
}
