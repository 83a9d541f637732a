package io.kubescrape.server.share;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.server.http.Responses;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.RelayHeaders;
import io.kubescrape.server.scrape.Scrape;
import io.kubescrape.server.scrape.ScrapeRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * A scrape that follows an identical one's upstream request: on its own connection's loop it writes the head and
 * body the flight hands it, with its own timeout and outcome. It never holds the upstream back: its bytes wait in
 * its connection's outbound buffer, and a caller more than the flight's bound behind is cut off as truncated.
 */
final class FlightFollower implements Scrape {
    private final ChannelHandlerContext downstream;
    private final EventLoop loop;
    private final Downstream owner;
    private final ScrapeRecord record;
    private final boolean keepAlive;
    private final boolean http11;
    private final long timeoutNanos;
    private final long bound;
    private final Runnable alone;
    private Flight flight;
    private boolean headersSent;
    private int status;
    private boolean done;

    /** @param alone what to do when the flight turns it away (ended, or past its bound): fetch on its own */
    FlightFollower(ChannelHandlerContext downstream, Downstream owner, ScrapeRecord record, boolean keepAlive,
                   boolean http11, long timeoutNanos, long bound, Runnable alone) {
        this.downstream = downstream;
        this.loop = downstream.channel().eventLoop();
        this.owner = owner;
        this.record = record;
        this.keepAlive = keepAlive;
        this.http11 = http11;
        this.timeoutNanos = timeoutNanos;
        this.bound = bound;
        this.alone = alone;
    }

    void follow(Flight f) {
        flight = f;
        f.join(this);
    }

    /** Called on the flight's loop: it was too late to join. */
    void refused() {
        loop.execute(() -> {
            if (!done) {
                done = true;
                record.abandon();
                owner.ended(this);
                alone.run();
            }
        });
    }

    /**
     * Called on the flight's loop with the flight's own copy of the pod's head (not to be changed) and the headers
     * kubescrape adds to every copy.
     */
    void head(HttpResponse template, HttpHeaders added) {
        loop.execute(() -> {
            if (!done) {
                headersSent = true;
                status = template.status().code();
                downstream.writeAndFlush(RelayHeaders.sharedCopy(template, added, keepAlive, http11),
                        downstream.voidPromise());
            }
        });
    }

    /** Called on the flight's loop; {@code piece} is this follower's own reference. */
    void body(ByteBuf piece, boolean last) {
        loop.execute(() -> {
            if (done) {
                piece.release();
                return;
            }
            record.addBytes(piece.readableBytes());
            if (last) {
                downstream.writeAndFlush(new DefaultLastHttpContent(piece), downstream.voidPromise());
                return; // ended() follows with the outcome
            }
            downstream.writeAndFlush(new DefaultHttpContent(piece), downstream.voidPromise());
            if (downstream.channel().bytesBeforeWritable() > bound) {
                finish(new ScrapeException(ScrapeOutcome.TRUNCATED, "the caller fell more than " + bound
                        + " bytes behind the scrapes sharing its upstream request"));
            }
        });
    }

    /** Called on the flight's loop: the shared exchange is over ({@code failure} null: the whole body went by). */
    void ended(ScrapeOutcome outcome, ScrapeException failure) {
        loop.execute(() -> {
            if (done) {
                return;
            }
            if (failure == null) {
                done = true;
                record.finish(outcome, status, null);
                owner.ended(this);
                owner.relayed(keepAlive);
            } else {
                finish(failure);
            }
        });
    }

    @Override
    public void timedOut() {
        finish(new ScrapeException(ScrapeOutcome.TIMEOUT, "no complete response within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (following an identical scrape, "
                + record.bytes() + " body bytes sent)"));
    }

    @Override
    public void onDownstreamWritable() {
        // Nothing to resume: the upstream is read at the pace of the scrape being followed.
    }

    @Override
    public void onDownstreamClosed() {
        if (!done) {
            done = true;
            record.finish(ScrapeOutcome.DOWNSTREAM_CLOSED, ScrapeOutcome.DOWNSTREAM_CLOSED.status(),
                    "after " + record.bytes() + " body bytes");
            owner.ended(this);
            flight.leave(this);
        }
    }

    /** Fails this caller as a relay of its own would have: an error answer before any head, else a cut. */
    private void finish(ScrapeException e) {
        if (done) {
            return;
        }
        done = true;
        record.finish(e.outcome(), e.outcome().status(), e.getMessage());
        owner.ended(this);
        flight.leave(this);
        if (headersSent) {
            downstream.close();
        } else {
            owner.respond(Responses.error(downstream.alloc(), e), keepAlive);
        }
    }
}
