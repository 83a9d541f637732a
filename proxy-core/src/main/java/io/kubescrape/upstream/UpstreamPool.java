package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Keep-alive connections to one cluster's API server, owned by one event loop: every method runs on that loop,
 * so there are no locks. Idle channels are reused newest first (so surplus ones age out), keep a read pending
 * so a server-side close is noticed at once, and are closed after the idle timeout. At most
 * {@code maxConnections} are open; further acquires wait in a bounded queue for at most the acquire timeout.
 */
public final class UpstreamPool implements LoopPool {
    private final EventLoop loop;
    private final ClusterSpec spec;
    private final UpstreamConnector connector;
    private final PoolStats stats;
    private final int maxConnections;
    private final ArrayDeque<IdleChannel> idle = new ArrayDeque<>();
    private final AcquireQueue waiters;
    private static final AttributeKey<Integer> GENERATION =
            AttributeKey.valueOf("kubescrape.tls.generation");
    private int generation;
    private final ScheduledFuture<?> reaper;
    private int open;
    private boolean closed;

    private record IdleChannel(Channel channel, long since) {
    }

    /** @param remote the API server's address (unresolved host and port; a local address in pool tests) */
    UpstreamPool(EventLoop loop, ClusterSpec spec, Supplier<SslContext> sslContext, PoolStats stats,
                 Class<? extends Channel> channelClass, SocketAddress remote, int maxConnections) {
        this(loop, spec, sslContext, stats, channelClass, remote, maxConnections, new CircuitBreaker(5, 5000));
    }

    UpstreamPool(EventLoop loop, ClusterSpec spec, Supplier<SslContext> sslContext, PoolStats stats,
                 Class<? extends Channel> channelClass, SocketAddress remote, int maxConnections,
                 CircuitBreaker breaker) {
        this.loop = loop;
        this.spec = spec;
        this.stats = stats;
        this.maxConnections = maxConnections;
        this.waiters = new AcquireQueue(loop, stats, spec.upstream());
        this.connector = new UpstreamConnector(loop, spec, sslContext, stats, channelClass, remote, breaker, false);
        this.reaper = UpstreamBootstrap.scheduleReaper(loop, spec, this::closeExpiredIdle);
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /**
     * A ready (connected, handshaken) channel: an idle one unless {@code fresh}, else a new connection.
     * Fails with a {@link ScrapeException} naming the cause.
     */
    @Override
    public Future<UpstreamLink> acquire(boolean fresh) {
        Promise<UpstreamLink> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(UpstreamFailures.shuttingDown(spec));
        }
        if (!fresh) {
            UpstreamLink ready = acquireIdle();
            if (ready != null) {
                return promise.setSuccess(ready);
            }
        }
        if (open < maxConnections || (fresh && !idle.isEmpty())) {
            // A retry needs a new connection: the stalest idle one makes room, and is counted off when it closes.
            IdleChannel oldest = fresh && open >= maxConnections ? idle.pollLast() : null;
            if (oldest != null) {
                stats.idle.decrementAndGet();
                oldest.channel.close();
            }
            connect(promise);
            return promise;
        }
        waiters.add(promise, this::exhausted);
        return promise;
    }

    /** The most recently used idle connection that is still open (no promise: the usual case under load). */
    @Override
    public UpstreamLink acquireIdle() {
        if (closed) {
            return null;
        }
        IdleChannel ic;
        while ((ic = idle.pollFirst()) != null) {
            stats.idle.decrementAndGet();
            if (ic.channel.isActive()) {
                return UpstreamHandler.of(ic.channel);
            }
        }
        return null;
    }

    /** Returns a connection whose exchange completed cleanly; it is reused, or closed if it cannot be. */
    @Override
    public void release(UpstreamLink link) {
        release(((UpstreamHandler) link).channel());
    }

    private void release(Channel ch) {
        UpstreamHandler handler = UpstreamHandler.of(ch);
        handler.detach();
        if (closed || !ch.isActive() || ch.attr(GENERATION).get() != generation) {
            ch.close();
            return;
        }
        Promise<UpstreamLink> w;
        while ((w = waiters.poll()) != null) {
            if (w.trySuccess(handler)) {
                return;
            }
        }
        idle.addFirst(new IdleChannel(ch, System.nanoTime()));
        stats.idle.incrementAndGet();
        ch.read();
    }

    /** Closes a connection that must not be reused (broken, timed out, or mid-response). */
    @Override
    public void discard(UpstreamLink link) {
        UpstreamHandler handler = (UpstreamHandler) link;
        handler.detach();
        handler.channel().close();
    }

    private void connect(Promise<UpstreamLink> promise) {
        if (!connector.allowed()) {
            promise.setFailure(connector.refused());
            drainWaitersAfterFailure();
            return;
        }
        open++;
        stats.open.incrementAndGet();
        ChannelFuture cf = connector.connect();
        Channel ch = cf.channel();
        ch.attr(GENERATION).set(generation);
        ch.closeFuture().addListener(f -> onClosed(ch));
        connector.whenReady(cf, new UpstreamConnector.Result() {
            @Override
            public void ready(Channel ready) {
                SslHandler tls = ready.pipeline().get(SslHandler.class);
                if (tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                    // protocol auto: the server picked HTTP/1.1 when asked first, h2 now (a balancer's replicas
                    // that differ?); an HTTP/1.1 pool cannot speak it.
                    failed(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server of cluster "
                            + spec.name() + " picked HTTP/2 in TLS ALPN on a new connection after picking HTTP/1.1 "
                            + "before; reload kubescrape to ask again, or set upstream.protocol"));
                    return;
                }
                handOver(ready, promise);
            }

            @Override
            public void failed(ScrapeException why) {
                promise.tryFailure(why);
                ch.close();
            }
        });
    }

    /** With the circuit open, waiters would only wait for their own timeout: fail them now. */
    private void drainWaitersAfterFailure() {
        if (connector.circuitOpen()) {
            waiters.failAll(new ScrapeException(ScrapeOutcome.UPSTREAM_CONNECT, "cluster " + spec.name()
                    + ": circuit open after repeated connection failures"));
        }
    }

    private void handOver(Channel ch, Promise<UpstreamLink> promise) {
        if (!promise.trySuccess(UpstreamHandler.of(ch))) {
            release(ch);
        }
    }

    private void onClosed(Channel ch) {
        for (Iterator<IdleChannel> it = idle.iterator(); it.hasNext(); ) {
            if (it.next().channel == ch) {
                it.remove();
                stats.idle.decrementAndGet();
                break;
            }
        }
        open--;
        stats.open.decrementAndGet();
        if (!closed && open < maxConnections) {
            Promise<UpstreamLink> w = waiters.poll();
            if (w != null) {
                connect(w);
            }
        }
    }

    private void closeExpiredIdle() {
        long limit = spec.upstream().idleTimeout().toNanos();
        long now = System.nanoTime();
        IdleChannel ic;
        while ((ic = idle.peekLast()) != null && now - ic.since > limit) {
            ic.channel.close();
            if (idle.peekLast() == ic) {
                idle.pollLast();
                stats.idle.decrementAndGet();
            }
        }
    }

    private ScrapeException exhausted(String detail) {
        return new ScrapeException(ScrapeOutcome.POOL_EXHAUSTED, "all " + maxConnections
                + " connections of this event loop to cluster " + spec.name() + " are busy " + detail);
    }

    /**
     * New TLS material: connections made from now on use it; idle ones are closed now, busy ones when released.
     */
    @Override
    public void drainForNewTls() {
        generation++;
        IdleChannel ic;
        while ((ic = idle.pollFirst()) != null) {
            stats.idle.decrementAndGet();
            ic.channel.close();
        }
    }

    /** Closes idle channels and fails waiters; channels in use close when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        reaper.cancel(false);
        for (IdleChannel ic : idle) {
            ic.channel.close();
        }
        waiters.failAll(UpstreamFailures.shuttingDown(spec));
    }
}
