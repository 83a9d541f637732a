package io.kubescrape.server;

import io.kubescrape.cluster.Admission;
import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.target.Target;
import io.kubescrape.upstream.ApiStatus;
import io.kubescrape.upstream.UpstreamExchange;
import io.kubescrape.upstream.UpstreamFailures;
import io.kubescrape.upstream.UpstreamHandler;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamRequests;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scrape, from a parsed target to the last byte: RESOLVE → ACQUIRE → RELAY → COMPLETE. Lives on the
 * downstream channel's event loop, which is also its upstream channel's, so it needs no locks.
 *
 * <p>RELAY streams: each upstream chunk is written downstream as it arrives, flushed once per read burst, and
 * the next upstream read is issued only while the downstream channel is writable. An API-server error (a small
 * JSON Status) is told apart from the pod's own response, which passes unchanged, by {@link StatusSniffer}.
 */
final class ScrapeRelay implements UpstreamExchange {
    private final ChannelHandlerContext downstream;
    private final DownstreamHandler owner;
    private final Cluster cluster;
    private final Target target;
    private final HttpRequest request;
    private final boolean keepAlive;
    private final boolean http11;
    private final ScrapeRecord record;
    private final long timeoutNanos;
    private ScrapeStage state = ScrapeStage.RESOLVING;
    private ScheduledFuture<?> timer;
    private UpstreamChannelPool pool;
    private Channel upstream;
    private HttpResponse upstreamResponse;
    private StatusSniffer sniffer;
    private ScrapeOutcome outcome = ScrapeOutcome.SUCCESS;
    private boolean headersSent;
    private boolean retried;
    private boolean admitted;
    private final Admission.Ticket[] ticket = new Admission.Ticket[1];
    private long sentNanos;
    private String path;

    ScrapeRelay(ChannelHandlerContext downstream, DownstreamHandler owner, Cluster cluster, Target target,
                HttpRequest request, long timeoutNanos, LastScrapes last) {
        this.downstream = downstream;
        this.owner = owner;
        this.cluster = cluster;
        this.target = target;
        this.request = request;
        this.http11 = request.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
        // HTTP/1.0 callers get an unframed body ended by closing, so their connection never stays open.
        this.keepAlive = http11 && HttpUtil.isKeepAlive(request);
        this.timeoutNanos = timeoutNanos;
        this.record = new ScrapeRecord(target, cluster.meters(), last);
    }

    /** RESOLVE: the pod (cached or fetched) gives the upstream path; then ADMIT and ACQUIRE. */
    void start() {
        EventLoop loop = downstream.channel().eventLoop();
        timer = loop.schedule(this::onTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
        cluster.proxyPath(target, loop).whenComplete((p, err) -> {
            if (loop.inEventLoop()) {
                resolved(p, err);
            } else {
                loop.execute(() -> resolved(p, err));
            }
        });
    }

    private void resolved(String proxyPath, Throwable err) {
        if (state != ScrapeStage.RESOLVING) {
            return;
        }
        if (err != null) {
            fail(ScrapeException.from(err));
            return;
        }
        path = proxyPath;
        state = ScrapeStage.ADMITTING;
        switch (cluster.admission().admit(downstream.channel().eventLoop(), this::admitted, ticket)) {
            case ADMITTED -> admitted();
            case REJECTED -> fail(cluster.admission().rejection(cluster.name()));
            default -> { } // queued: admitted() runs on this loop when a slot frees
        }
    }

    /** ADMIT done: ACQUIRE a connection. */
    private void admitted() {
        if (state != ScrapeStage.ADMITTING) {
            cluster.admission().release(); // the scrape ended while it waited: hand the slot on
            return;
        }
        admitted = true;
        state = ScrapeStage.ACQUIRING;
        pool = cluster.pool(downstream.channel().eventLoop());
        pool.acquire(false).addListener(this::acquired);
    }

    private void acquired(Future<? super Channel> f) {
        if (!f.isSuccess()) {
            if (state == ScrapeStage.ACQUIRING) {
                fail(ScrapeException.from(f.cause()));
            }
            return;
        }
        Channel ch = (Channel) f.getNow();
        if (state != ScrapeStage.ACQUIRING) {
            pool.release(ch);
            return;
        }
        upstream = ch;
        UpstreamHandler.of(ch).attach(this);
        state = ScrapeStage.AWAITING_RESPONSE;
        sentNanos = System.nanoTime();
        double remaining = Math.max(0.1, (timeoutNanos - record.elapsedNanos()) / 1e9);
        HttpMethod method = request.method().equals(HttpMethod.HEAD) ? HttpMethod.HEAD : HttpMethod.GET;
        ch.writeAndFlush(UpstreamRequests.scrape(cluster.spec(), method, path, request.headers(),
                cluster.authorization(), remaining));
        ch.read();
    }

    @Override
    public void onResponse(HttpResponse response) {
        if (state != ScrapeStage.AWAITING_RESPONSE) {
            return;
        }
        cluster.meters().firstByte(System.nanoTime() - sentNanos);
        upstreamResponse = response;
        if (ApiStatus.mightBeStatus(response)) {
            state = ScrapeStage.BUFFERING_STATUS;
            sniffer = new StatusSniffer(downstream.alloc());
        } else {
            sendHeaders();
        }
    }

    @Override
    public void onContent(HttpContent content) {
        if (state == ScrapeStage.BUFFERING_STATUS) {
            buffer(content);
        } else if (state == ScrapeStage.STREAMING) {
            relay(content);
        } else {
            content.release();
        }
    }

    private void buffer(HttpContent content) {
        StatusSniffer.Verdict verdict = sniffer.offer(content);
        if (verdict == null) {
            return;
        }
        sniffer = null;
        if (verdict.status() != null) {
            releaseUpstream(true);
            fail(verdict.status().toFailure(cluster.name(), "get on pods/proxy"));
            return;
        }
        // Not an API-server Status: the pod's own response. Relay what was held, then stream on.
        sendHeaders();
        relay(verdict.held());
    }

    /** RELAY one piece of body: written now, flushed at the end of the read burst, or at the end of the body. */
    private void relay(HttpContent content) {
        record.addBytes(content.content().readableBytes());
        if (content instanceof LastHttpContent) {
            downstream.writeAndFlush(content);
            complete();
        } else {
            downstream.write(content);
        }
    }

    private void sendHeaders() {
        int code = upstreamResponse.status().code();
        outcome = code >= 200 && code < 300 ? ScrapeOutcome.SUCCESS : ScrapeOutcome.POD_ERROR;
        headersSent = true;
        state = ScrapeStage.STREAMING;
        downstream.write(RelayHeaders.downstream(upstreamResponse, keepAlive,
                request.method().equals(HttpMethod.HEAD), http11));
    }

    @Override
    public void onReadComplete() {
        if (state == ScrapeStage.STREAMING) {
            downstream.flush();
        }
        if (state.ordinal() >= ScrapeStage.AWAITING_RESPONSE.ordinal() && state != ScrapeStage.DONE
                && downstream.channel().isWritable()) {
            upstream.read();
        }
    }

    /** The downstream channel drained below its low watermark: resume reading upstream. */
    void onDownstreamWritable() {
        if ((state == ScrapeStage.STREAMING || state == ScrapeStage.BUFFERING_STATUS) && upstream != null) {
            upstream.read();
        }
    }

    @Override
    public void onBroken(Throwable cause) {
        if (state == ScrapeStage.DONE) {
            return;
        }
        if (state == ScrapeStage.AWAITING_RESPONSE && !retried) {
            // No response byte yet: the server may have closed an idle connection. Retry once, fresh.
            retried = true;
            releaseUpstream(false);
            state = ScrapeStage.ACQUIRING;
            pool.acquire(true).addListener(this::acquired);
            return;
        }
        fail(headersSent ? new ScrapeException(ScrapeOutcome.TRUNCATED, "upstream broke after " + record.bytes()
                + " body bytes: " + ScrapeRecord.describe(cause))
                : UpstreamFailures.broken(cluster.spec(), cause, "before a complete response"));
    }

    private void onTimeout() {
        fail(new ScrapeException(ScrapeOutcome.TIMEOUT, "no complete response within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + state.doing + ", " + record.bytes()
                + " body bytes sent)"));
    }

    /** The scraper went away: abandon the upstream exchange (its connection cannot be reused mid-response). */
    void onDownstreamClosed() {
        if (state == ScrapeStage.DONE) {
            return;
        }
        releaseUpstream(false);
        finish(ScrapeOutcome.DOWNSTREAM_CLOSED, "after " + record.bytes() + " body bytes");
    }

    private void complete() {
        releaseUpstream(HttpUtil.isKeepAlive(upstreamResponse));
        finish(outcome, null);
        owner.scrapeDone(keepAlive);
    }

    /** Answers with the outcome table's error response, or closes when headers already went out. */
    private void fail(ScrapeException e) {
        if (state == ScrapeStage.DONE) {
            return;
        }
        releaseUpstream(false);
        boolean close = headersSent;
        finish(e.outcome(), e.getMessage());
        if (close) {
            downstream.close();
        } else {
            owner.respond(Responses.error(downstream.alloc(), e), keepAlive);
        }
    }

    private void finish(ScrapeOutcome result, String detail) {
        state = ScrapeStage.DONE;
        if (timer != null) {
            timer.cancel(false);
        }
        if (sniffer != null) {
            sniffer.release();
            sniffer = null;
        }
        if (admitted) {
            admitted = false;
            cluster.admission().release();
        } else if (ticket[0] != null) {
            ticket[0].cancel();
        }
        record.finish(result, upstreamResponse != null && (result == ScrapeOutcome.SUCCESS
                || result == ScrapeOutcome.POD_ERROR) ? upstreamResponse.status().code() : result.status(), detail);
        owner.relayFinished(this);
    }

    /** Returns the upstream channel to its pool when its exchange completed cleanly, else closes it. */
    private void releaseUpstream(boolean reusable) {
        Channel ch = upstream;
        upstream = null;
        if (ch != null) {
            pool.giveBack(ch, reusable);
        }
    }
}
