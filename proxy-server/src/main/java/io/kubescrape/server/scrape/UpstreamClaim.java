package io.kubescrape.server.scrape;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamLink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * ACQUIRE for one relay: a pooled upstream connection (or HTTP/2 stream) on the relay's loop, idle at once or when
 * the pool has one, and again on a retry; then the channel held for the exchange, until it goes back to the pool.
 * A channel that arrives after the relay stopped waiting goes straight back.
 */
final class UpstreamClaim {
    private final EventLoop loop;
    private final UpstreamChannelPool pool;
    private final BooleanSupplier waiting;
    private final Consumer<UpstreamLink> got;
    private final Consumer<ScrapeException> failed;
    private UpstreamLink held;

    /**
     * @param waiting whether the relay still waits for a channel (it may have ended meanwhile)
     * @param got     takes the channel the exchange is to use
     */
    UpstreamClaim(EventLoop loop, UpstreamChannelPool pool, BooleanSupplier waiting, Consumer<UpstreamLink> got,
                  Consumer<ScrapeException> failed) {
        this.loop = loop;
        this.pool = pool;
        this.waiting = waiting;
        this.got = got;
        this.failed = failed;
    }

    /** An idle channel now, else the next the pool has. */
    void claim() {
        UpstreamLink idle = pool.acquireIdle();
        if (idle != null) {
            deliver(idle);
        } else {
            pool.acquire(false).addListener(this::acquired);
        }
    }

    /** Once {@code first} is done (fresh credentials, say): a channel, a newly opened one when {@code fresh}. */
    void claimAfter(CompletableFuture<Void> first, boolean fresh) {
        first.whenComplete((v, err) -> OnLoop.run(loop, () -> {
            if (waiting.getAsBoolean()) {
                pool.acquire(fresh).addListener(this::acquired);
            }
        }));
    }

    private void acquired(Future<? super UpstreamLink> f) {
        if (!f.isSuccess()) {
            if (waiting.getAsBoolean()) {
                failed.accept(ScrapeException.from(f.cause()));
            }
            return;
        }
        deliver((UpstreamLink) f.getNow());
    }

    private void deliver(UpstreamLink ch) {
        if (!waiting.getAsBoolean()) {
            pool.release(ch); // the scrape ended while it waited
            return;
        }
        held = ch;
        got.accept(ch);
    }

    /** Asks the held channel for the next read; nothing when none is held. */
    void read() {
        if (held != null) {
            held.read();
        }
    }

    /** The held channel back to its pool when its exchange completed cleanly, else closed; none held is fine. */
    void giveBack(boolean reusable) {
        UpstreamLink ch = held;
        held = null;
        if (ch != null) {
            pool.giveBack(ch, reusable);
        }
    }
}
