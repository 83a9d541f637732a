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
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * HTTP/2 connections to one cluster's API server, owned by one event loop (every method runs on it: no locks).
 * A scrape gets a stream on the first connection with room (the peer's and our stream limit), so a busy loop
 * fills one connection before opening another; at most {@code maxConnections} connections are open. Acquires
 * that find no room wait in a bounded queue for at most the acquire timeout while a new connection comes up.
 * Connections told to go away (GOAWAY), built with replaced TLS material or past their stream budget take no
 * new streams and close when their last stream ends; idle ones close after the idle timeout.
 */
public final class Http2UpstreamPool implements LoopPool {
    private final EventLoop loop;
    private final ClusterSpec spec;
    private final UpstreamConnector connector;
    private final PoolStats stats;
    private final int maxConnections;
    private final int maxStreams;
    private final List<MultiplexedConnection> connections = new ArrayList<>();
    private final AcquireQueue waiters;
    private final ScheduledFuture<?> reaper;
    private int generation;
    private boolean closed;

    Http2UpstreamPool(EventLoop loop, ClusterSpec spec, Supplier<SslContext> sslContext, PoolStats stats,
                      Class<? extends Channel> channelClass, SocketAddress remote, int maxConnections,
                      CircuitBreaker breaker) {
        this.loop = loop;
        this.spec = spec;
        this.stats = stats;
        this.maxConnections = maxConnections;
        this.maxStreams = spec.upstream().maxStreamsPerConnection();
        this.waiters = new AcquireQueue(loop, stats, spec.upstream());
        // The connection reads all the time (frames of every stream, pings, settings); each stream is paced by
        // its own flow-control window instead (the connector's multiplexed mode).
        this.connector = new UpstreamConnector(loop, spec, sslContext, stats, channelClass, remote, breaker, true);
        this.reaper = UpstreamBootstrap.scheduleReaper(loop, spec, this::closeIdle);
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** A new stream, ready for a request; {@code fresh} does not matter (a broken connection is gone already). */
    @Override
    public Future<UpstreamLink> acquire(boolean fresh) {
        Promise<UpstreamLink> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(UpstreamFailures.shuttingDown(spec));
        }
        MultiplexedConnection c = waiters.isEmpty() ? withRoom() : null;
        if (c != null) {
            openStream(c, promise);
            return promise;
        }
        waiters.add(promise, this::exhausted);
        connectIfShort();
        return promise;
    }

    /** The stream's exchange completed; a stream is never reused, so this is {@link #discard}. */
    @Override
    public void release(UpstreamLink stream) {
        discard(stream);
    }

    /** Ends the stream (a reset, if it was still open); its connection stays for the other streams. */
    @Override
    public void discard(UpstreamLink stream) {
        ((MultiplexedStream) stream).finish();
    }

    private MultiplexedConnection withRoom() {
        for (MultiplexedConnection c : connections) {
            if (c.accepts(maxStreams, generation)) {
                return c;
            }
        }
        return null;
    }

    private void openStream(MultiplexedConnection c, Promise<UpstreamLink> promise) {
        stats.streams.incrementAndGet();
        MultiplexedStream stream = c.openStream(this);
        if (!promise.trySuccess(stream)) {
            stream.finish();
        }
    }

    /** A stream handed out by {@link #openStream} ended (once for each). */
    void streamEnded(MultiplexedConnection c) {
        stats.streams.decrementAndGet();
        c.streamEnded();
        if (c.openStreams() == 0 && (closed || c.retired(generation))) {
            c.channel.close();
        }
        serveWaiters();
    }

    private void serveWaiters() {
        MultiplexedConnection c;
        while (!waiters.isEmpty() && (c = withRoom()) != null) {
            openStream(c, waiters.poll());
        }
        connectIfShort();
    }

    /** Connects when the waiting acquires outnumber the streams the connections still coming up will carry. */
    private void connectIfShort() {
        if (closed || waiters.isEmpty() || connections.size() >= maxConnections) {
            return;
        }
        long coming = connections.stream().filter(c -> !c.isReady()).count();
        if (waiters.size() > coming * maxStreams) {
            connect();
        }
    }

    private void connect() {
        if (!connector.allowed()) {
            waiters.failAll(connector.refused());
            return;
        }
        ChannelFuture cf = connector.connect();
        MultiplexedConnection c = new MultiplexedConnection(cf.channel(), generation, stats);
        connections.add(c);
        stats.open.incrementAndGet();
        c.channel.closeFuture().addListener(f -> onClosed(c));
        connector.whenReady(cf, new UpstreamConnector.Result() {
            @Override
            public void ready(Channel ch) {
                SslHandler tls = ch.pipeline().get(SslHandler.class);
                if (tls != null && !ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                    connectFailed(c, new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server of cluster "
                            + spec.name() + " does not speak HTTP/2 (TLS ALPN agreed on "
                            + (tls.applicationProtocol() == null ? "nothing" : tls.applicationProtocol())
                            + "); set upstream.protocol: http1 for this cluster"));
                } else {
                    established(c); // over TLS with h2 agreed, or plain HTTP/2 with prior knowledge
                }
            }

            @Override
            public void failed(ScrapeException why) {
                connectFailed(c, why);
            }
        });
    }

    private void established(MultiplexedConnection c) {
        try {
            Http2Streams.widenConnectionWindow(c.channel, maxStreams);
        } catch (Exception e) {
            connectFailed(c, UpstreamFailures.broken(spec, e, "while setting up HTTP/2"));
            return;
        }
        c.ready();
        serveWaiters();
    }

    /** Waiters that no other connection coming up will serve fail with this connection's reason. */
    private void connectFailed(MultiplexedConnection c, ScrapeException why) {
        if (connections.remove(c)) {
            stats.open.decrementAndGet();
        }
        c.channel.close();
        // Not serveWaiters(): with nothing else coming up it would connect again at once, in a loop.
        if (connections.stream().noneMatch(o -> !o.isReady())) {
            waiters.failAll(why);
        }
    }

    private void onClosed(MultiplexedConnection c) {
        if (connections.remove(c)) {
            stats.open.decrementAndGet();
        }
        c.forget();
        if (c.isReady()) {
            // Capacity lost: waiters may need a new connection. Not after a failed connect: that would retry at
            // once, in a loop (connectFailed has answered the waiters).
            connectIfShort();
        }
    }

    private void closeIdle() {
        long limit = spec.upstream().idleTimeout().toNanos();
        long now = System.nanoTime();
        for (MultiplexedConnection c : List.copyOf(connections)) {
            if (c.idleLongerThan(limit, now) || (c.isReady() && c.openStreams() == 0 && c.retired(generation))) {
                c.channel.close();
            }
        }
    }

    private ScrapeException exhausted(String detail) {
        return new ScrapeException(ScrapeOutcome.POOL_EXHAUSTED, "all " + maxConnections + " HTTP/2 connections ("
                + maxStreams + " streams each) of this event loop to cluster " + spec.name() + " are busy " + detail);
    }

    /** New TLS material: new connections use it; idle ones close now, busy ones after their last stream. */
    @Override
    public void drainForNewTls() {
        generation++;
        closeIdle();
    }

    /** Fails waiters and closes idle connections; busy ones close when their last stream ends. */
    @Override
    public void close() {
        closed = true;
        reaper.cancel(false);
        for (MultiplexedConnection c : List.copyOf(connections)) {
            if (c.openStreams() == 0) {
                c.channel.close();
            }
        }
        waiters.failAll(UpstreamFailures.shuttingDown(spec));
    }
}
