package io.kubescrape.upstream;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A loop's pool under {@code upstream.protocol: auto}: until the cluster's probe has learnt which protocol the API
 * server picks, acquiring waits for it; from then on everything goes to the HTTP/2 or HTTP/1.1 pool of that
 * choice. A probe that failed is tried again by the next acquire.
 */
final class AutoPool implements LoopPool {
    private final EventLoop loop;
    private final Supplier<CompletableFuture<Boolean>> picksHttp2;
    private final Function<Boolean, LoopPool> pool;
    private LoopPool chosen;
    private boolean closed;

    /**
     * @param picksHttp2 the cluster's probe (the same for every loop)
     * @param pool       makes this loop's pool: HTTP/2 when given true
     */
    AutoPool(EventLoop loop, Supplier<CompletableFuture<Boolean>> picksHttp2, Function<Boolean, LoopPool> pool) {
        this.loop = loop;
        this.picksHttp2 = picksHttp2;
        this.pool = pool;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public Future<UpstreamLink> acquire(boolean fresh) {
        if (chosen != null) {
            return chosen.acquire(fresh);
        }
        Promise<UpstreamLink> promise = loop.newPromise();
        picksHttp2.get().whenComplete((h2, err) -> loop.execute(() -> {
            if (err != null) {
                promise.tryFailure(ScrapeException.from(err));
            } else if (closed) {
                promise.tryFailure(new ScrapeException(ScrapeOutcome.UPSTREAM_CONNECT, "the cluster was removed"));
            } else {
                choose(h2).acquire(fresh).addListener(f -> {
                    if (f.isSuccess()) {
                        if (!promise.trySuccess((UpstreamLink) f.getNow())) {
                            chosen.release((UpstreamLink) f.getNow()); // the scrape ended meanwhile
                        }
                    } else {
                        promise.tryFailure(f.cause());
                    }
                });
            }
        }));
        return promise;
    }

    @Override
    public UpstreamLink acquireIdle() {
        return chosen == null ? null : chosen.acquireIdle();
    }

    @Override
    public void release(UpstreamLink link) {
        chosen.release(link); // a channel was handed out, so the choice is made
    }

    @Override
    public void discard(UpstreamLink link) {
        chosen.discard(link);
    }

    @Override
    public void drainForNewTls() {
        if (chosen != null) {
            chosen.drainForNewTls();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (chosen != null) {
            chosen.close();
        }
    }

    private LoopPool choose(boolean h2) {
        if (chosen == null) {
            chosen = pool.apply(h2);
        }
        return chosen;
    }
}
