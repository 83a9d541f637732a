package io.kubescrape.server.share;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.server.scrape.Followers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream request in flight and the identical scrapes following it. Lives on the leading relay's event loop:
 * joins and leaves are posted there, and what the relay receives is posted on to each follower's loop as references
 * of its own. The body so far is kept, up to the bound, so a scrape that joins late gets it from its first byte;
 * past the bound (its own, or what its loop's flights together may keep) nobody new may join (a late scrape fetches on its
 * own) and what was kept is let go.
 */
final class Flight implements Followers {
    private final ShareKey key;
    private final Flights flights;
    private final EventLoop loop;
    private final long bound;
    private final long windowNanos;
    private final ByteBufAllocator alloc;
    private final long[] loopKept;
    private final List<FlightFollower> following = new ArrayList<>(0);
    private final List<ByteBuf> kept = new ArrayList<>(4);
    private HttpResponse head;
    private HttpHeaders added;
    private long bytes;
    private long keptBytes;
    private boolean closedToJoiners;
    private boolean ended;
    private Runnable abandon;

    /** @param loopKept the bytes the flights of {@code loop} keep now (this flight adds and takes back its own) */
    Flight(ShareKey key, Flights flights, EventLoop loop, long bound, long windowNanos, ByteBufAllocator alloc,
           long[] loopKept) {
        this.loopKept = loopKept;
        this.windowNanos = windowNanos;
        this.alloc = alloc;
        this.key = key;
        this.flights = flights;
        this.loop = loop;
        this.bound = bound;
    }

    /** From any thread: the follower is taken in on the flight's loop, or told to fetch on its own. */
    void join(FlightFollower f) {
        loop.execute(() -> {
            if (closedToJoiners || ended) {
                f.refused();
                return;
            }
            following.add(f);
            if (head != null) {
                f.head(head, added);
                for (ByteBuf b : kept) {
                    f.body(b.retainedDuplicate(), false);
                }
            }
        });
    }

    /** From any thread: the follower has its outcome and wants nothing more. */
    void leave(FlightFollower f) {
        loop.execute(() -> {
            following.remove(f);
            if (following.isEmpty() && abandon != null) {
                Runnable r = abandon;
                abandon = null;
                r.run();
            }
        });
    }

    @Override
    public boolean any() {
        return !following.isEmpty();
    }

    @Override
    public long bound() {
        return bound;
    }

    @Override
    public void head(HttpResponse upstreamHead, HttpHeaders addedHeaders) {
        head = new DefaultHttpResponse(upstreamHead.protocolVersion(), upstreamHead.status(),
                upstreamHead.headers().copy());
        added = addedHeaders;
        for (int i = 0; i < following.size(); i++) {
            following.get(i).head(head, added);
        }
    }

    @Override
    public void content(HttpContent content) {
        ByteBuf body = content.content();
        boolean last = content instanceof LastHttpContent;
        bytes += body.readableBytes();
        if (!closedToJoiners && body.isReadable()) {
            if (bytes > bound || loopKept[0] + body.readableBytes() > Flights.KEPT_BYTES_PER_LOOP) {
                closeToJoiners(); // a late scrape could not get the body from its first byte any more
            } else {
                keptBytes += body.readableBytes();
                loopKept[0] += body.readableBytes();
                kept.add(body.retainedDuplicate());
            }
        }
        for (int i = 0; i < following.size(); i++) {
            following.get(i).body(body.retainedDuplicate(), last);
        }
    }

    @Override
    public void completed(ScrapeOutcome outcome) {
        end();
        if (outcome == ScrapeOutcome.SUCCESS && !closedToJoiners && head != null) {
            flights.answered(key, head, added, kept, windowNanos, alloc); // the share window keeps it, if the cluster has one
        }
        letGo();
        for (FlightFollower f : following) {
            f.ended(outcome, null);
        }
        following.clear();
    }

    @Override
    public void failed(ScrapeException e) {
        end();
        letGo();
        for (FlightFollower f : following) {
            f.ended(e.outcome(), e);
        }
        following.clear();
    }

    @Override
    public void leaderLeft(Runnable abandonIt) {
        this.abandon = abandonIt;
    }

    private void end() {
        ended = true;
        flights.landed(key, this);
    }

    private void closeToJoiners() {
        closedToJoiners = true;
        flights.landed(key, this);
        letGo();
    }

    private void letGo() {
        for (ByteBuf b : kept) {
            b.release();
        }
        kept.clear();
        loopKept[0] -= keptBytes;
        keptBytes = 0;
    }
}
