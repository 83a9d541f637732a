package io.kubescrape.server.scrape;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.Shared;
import io.kubescrape.route.ApiServerTarget;
import io.kubescrape.route.Target;
import io.kubescrape.upstream.ApiStatus;
import io.kubescrape.upstream.UpstreamExchange;
import io.kubescrape.upstream.UpstreamFailures;
import io.kubescrape.upstream.UpstreamLink;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scrape, from a parsed target to the last byte: RESOLVE → ADMIT → ACQUIRE → RELAY → COMPLETE. Lives on the
 * downstream channel's event loop, which is also its upstream channel's, so it needs no locks.
 *
 * <p>RELAY streams: each upstream chunk is written downstream as it arrives, flushed once per read burst (unless
 * the upstream's Content-Length says no more than a small tail is still to come: then head and body leave together),
 * and the next upstream read is issued only while the downstream channel is writable ({@link ResponseForwarder}
 * writes; this class decides when to read, retry, time out and finish).
 *
 * <p>Identical scrapes may follow this one's upstream request ({@link Followers}). While any does, a slow caller of
 * this relay no longer holds the upstream back: it may fall behind by the followers' bound, then it is cut off. When
 * this relay's caller leaves early (gone, timed out, cut off), the exchange goes on for the followers alone.
 */
public final class ScrapeRelay implements UpstreamExchange, ResponseForwarder.Ending, Scrape {
    private final ChannelHandlerContext downstream;
    private final EventLoop loop;
    private final Cluster cluster;
    private final Target target;
    private final HttpRequest request;
    private final boolean keepAlive;
    private final boolean http11;
    private final ScrapeRecord record;
    private final long timeoutNanos;
    private ScrapeStage state = ScrapeStage.RESOLVE;
    private UpstreamClaim claim;
    private ResponseForwarder response;
    private boolean retried;
    private boolean reauthenticated;
    private final AdmissionSlot slot;
    private long sentNanos;
    private String path;
    private final Followers followers;
    private final RelayCaller caller;

    /**
     * @param caller    the caller's name, for its share of the cluster; null when callers are off
     * @param followers the identical scrapes that may join this one's upstream request; null when none may
     */
    public ScrapeRelay(ChannelHandlerContext downstream, Downstream owner, Cluster cluster, Target target,
                       HttpRequest request, long timeoutNanos, LastScrapes last, String caller, Followers followers) {
        this.followers = followers;
        this.downstream = downstream;
        this.loop = downstream.channel().eventLoop();
        this.cluster = cluster;
        this.target = target;
        this.request = request;
        this.http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        // HTTP/1.0 callers get an unframed body ended by closing, so their connection never stays open.
        this.keepAlive = http11 && HttpUtil.isKeepAlive(request);
        this.timeoutNanos = timeoutNanos;
        this.record = new ScrapeRecord(target, cluster.meters(), last, loop, Shared.NO);
        this.slot = new AdmissionSlot(cluster, target, caller);
        this.caller = new RelayCaller(downstream, owner, this, record, keepAlive, followers);
    }

    /** RESOLVE: the upstream path (a pod's from the pod, known, cached or fetched). */
    public void resolve() {
        String known;
        try {
            known = cluster.upstreamPathNow(target);
        } catch (ScrapeException e) {
            admit(null, e);
            return;
        }
        if (known != null) {
            admit(known, null); // the pod is known: no future to chain
        } else {
            cluster.upstreamPath(target, loop).whenComplete((p, err) -> OnLoop.run(loop, () -> admit(p, err)));
        }
    }

    /** ADMIT: a slot of the cluster's concurrent-scrape limit, a place in its queue, or 503. */
    private void admit(String proxyPath, Throwable err) {
        if (state != ScrapeStage.RESOLVE) {
            return;
        }
        if (err != null) {
            fail(ScrapeException.from(err));
            return;
        }
        path = proxyPath;
        state = state.to(ScrapeStage.ADMIT);
        try {
            if (slot.request(loop, this::acquire)) { // else in line: acquire() runs on this loop when a slot frees
                acquire();
            }
        } catch (ScrapeException refused) {
            fail(refused);
        }
    }

    /** ACQUIRE: a pooled upstream connection (or stream) on this event loop. */
    private void acquire() {
        if (state != ScrapeStage.ADMIT) {
            slot.grantedTooLate(); // the scrape ended while it waited
            return;
        }
        slot.granted();
        state = state.to(ScrapeStage.ACQUIRE);
        claim = new UpstreamClaim(loop, cluster.pool(loop), () -> state == ScrapeStage.ACQUIRE, this::relay,
                this::fail);
        claim.claim();
    }

    /** RELAY: the request goes up; the response comes back through onResponse, onContent and completed. */
    private void relay(UpstreamLink ch) {
        response = new ResponseForwarder(downstream, record, keepAlive, request.method().equals(HttpMethod.HEAD),
                http11, target instanceof ApiServerTarget ? ch.remoteAddress() : null, followers, this);
        ch.attach(this);
        state = state.to(ScrapeStage.RELAY_HEAD);
        sentNanos = System.nanoTime();
        double remaining = Math.max(0.1, (timeoutNanos - record.elapsedNanos()) / 1e9);
        HttpMethod method = request.method().equals(HttpMethod.HEAD) ? HttpMethod.HEAD : HttpMethod.GET;
        ch.sendScrape(cluster.spec(), method, path, request.headers(), cluster.authorization(), remaining);
    }

    @Override
    public void onResponse(HttpResponse r) {
        if (state != ScrapeStage.RELAY_HEAD) {
            return;
        }
        cluster.meters().firstByte(System.nanoTime() - sentNanos);
        state = state.to(ScrapeStage.RELAY_BODY);
        response.head(r);
    }

    @Override
    public void onContent(HttpContent content) {
        if (state == ScrapeStage.RELAY_BODY) {
            response.content(content);
        } else {
            content.release();
        }
    }

    /** The pod's response went downstream whole. */
    @Override
    public void completed(boolean reusable, ScrapeOutcome outcome) {
        releaseUpstream(reusable);
        complete(outcome, null);
    }

    /** The API server answered for itself: an expired exec credential is renewed once, else it is the answer. */
    @Override
    public void apiStatus(ApiStatus status) {
        releaseUpstream(true);
        if (status.code() == 401 && !reauthenticated && cluster.credentialsRefreshable()) {
            reauthenticated = true;
            sendAgain(false, cluster.refreshCredentials());
            return;
        }
        fail(status.toFailure(cluster.name(), target.permission(), target.reached(), target.notFound()));
    }

    /**
     * Sends the scrape again, once nothing went downstream: on a fresh connection when the last one broke before
     * a response, or after {@code first} (fresh credentials, fetched off this loop) when the API server said 401.
     */
    private void sendAgain(boolean freshConnection, CompletableFuture<Void> first) {
        state = state.to(ScrapeStage.ACQUIRE);
        claim.claimAfter(first, freshConnection);
    }

    @Override
    public void onReadComplete() {
        if (state == ScrapeStage.RELAY_BODY && !caller.answered() && response.headersSent()
                && !response.tailComing()) {
            downstream.flush();
        }
        if (state.relaying() && (caller.answered() || downstream.channel().isWritable()
                || caller.readOnForFollowers(response, this::abandon))) {
            claim.read();
        }
    }

    private boolean leaveToFollowers(ScrapeException e) {
        return state != ScrapeStage.COMPLETE && caller.leave(e, response, this::abandon);
    }

    /** No scrape is left to read the upstream response: it is dropped. */
    private void abandon() {
        if (state != ScrapeStage.COMPLETE) {
            releaseUpstream(false);
            complete(ScrapeOutcome.DOWNSTREAM_CLOSED, new ScrapeException(ScrapeOutcome.DOWNSTREAM_CLOSED,
                    "every scrape sharing it left"));
        }
    }

    /** The downstream channel drained below its low watermark: resume reading upstream. */
    @Override
    public void onDownstreamWritable() {
        if (state == ScrapeStage.RELAY_BODY) {
            claim.read();
        }
    }

    @Override
    public void onBroken(Throwable cause) {
        if (state == ScrapeStage.COMPLETE) {
            return;
        }
        if (cause instanceof ScrapeException definite) {
            fail(definite); // the upstream said something no retry changes (a protocol switch, for one)
            return;
        }
        if (state == ScrapeStage.RELAY_HEAD && !retried) {
            // No response byte yet: the server may have closed an idle connection. Retry once, fresh.
            retried = true;
            releaseUpstream(false);
            sendAgain(true, CompletableFuture.completedFuture(null));
            return;
        }
        fail(headersSent() ? new ScrapeException(ScrapeOutcome.TRUNCATED, "upstream broke after " + record.bytes()
                + " body bytes: " + ScrapeRecord.describe(cause))
                : UpstreamFailures.broken(cluster.spec(), cause, "before a complete response"));
    }

    /** The scrape's time ran out (its connection's deadline, set for {@code timeoutNanos}). */
    @Override
    public void timedOut() {
        ScrapeException e = new ScrapeException(ScrapeOutcome.TIMEOUT, "no complete response within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + state.doing + ", " + record.bytes()
                + " body bytes sent)");
        if (!leaveToFollowers(e)) {
            fail(e);
        }
    }

    /** The scraper went away: abandon the upstream exchange (its connection cannot be reused mid-response). */
    @Override
    public void onDownstreamClosed() {
        ScrapeException gone = new ScrapeException(ScrapeOutcome.DOWNSTREAM_CLOSED, "after " + record.bytes()
                + " body bytes");
        if (state != ScrapeStage.COMPLETE && !leaveToFollowers(gone)) {
            releaseUpstream(false);
            complete(gone.outcome(), gone);
        }
    }

    /** Answers with the outcome table's error response, or closes when headers already went out. */
    private void fail(ScrapeException e) {
        if (state == ScrapeStage.COMPLETE) {
            return;
        }
        releaseUpstream(false);
        complete(e.outcome(), e);
    }

    /**
     * COMPLETE: the slot back, the followers and the caller (unless it left before) told, the outcome recorded
     * once. {@code failure} is null when the whole response went by.
     */
    private void complete(ScrapeOutcome result, ScrapeException failure) {
        state = state.to(ScrapeStage.COMPLETE);
        if (response != null) {
            response.discard();
        }
        slot.giveBack();
        caller.exchangeEnded(result, failure, response);
    }

    private boolean headersSent() {
        return response != null && response.headersSent();
    }

    /** Returns the upstream channel to its pool when its exchange completed cleanly, else closes it. */
    private void releaseUpstream(boolean reusable) {
        if (claim != null) {
            claim.giveBack(reusable);
        }
    }
}
