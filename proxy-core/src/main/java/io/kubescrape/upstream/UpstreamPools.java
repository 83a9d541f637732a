package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's pools, one per event loop, so a scrape's downstream and upstream channels share a thread:
 * HTTP/2 ({@link Http2UpstreamPool}) or HTTP/1.1 ({@link UpstreamPool}) as the cluster's upstream.protocol says, or,
 * with {@code auto}, as the API server picks when offered both ({@link AutoPool}, {@link ProtocolProbe}).
 * The cluster's connection limit is split evenly between the loops.
 */
public final class UpstreamPools implements ClusterPools {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPools.class);
    private final ClusterSpec spec;
    private volatile SslContext sslContext;
    private final PoolStats stats;
    private final Class<? extends Channel> channelClass;
    private final int perLoop;
    private final ConcurrentMap<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
    private final CircuitBreaker breaker = new CircuitBreaker(5, 5000);
    private final InetSocketAddress remote;
    /** With protocol auto: the probe's answer, once asked. */
    private final AtomicReference<CompletableFuture<Boolean>> picked = new AtomicReference<>();

    public UpstreamPools(ClusterSpec spec, SslContext sslContext, PoolStats stats,
                         Class<? extends Channel> channelClass, int eventLoops) {
        this.spec = spec;
        this.sslContext = sslContext;
        this.stats = stats;
        this.channelClass = channelClass;
        this.perLoop = Math.max(1, (spec.upstream().maxConnections() + eventLoops - 1) / eventLoops);
        this.remote = InetSocketAddress.createUnresolved(spec.server().getHost(), spec.port());
    }

    @Override
    public UpstreamChannelPool on(EventLoop loop) {
        LoopPool pool = pools.get(loop);
        if (pool == null) {
            pool = pools.computeIfAbsent(loop, this::newPool);
        }
        return pool;
    }

    private LoopPool newPool(EventLoop loop) {
        if (spec.upstream().auto()) {
            return new AutoPool(loop, () -> picksHttp2(loop), h2 -> newPool(loop, h2));
        }
        return newPool(loop, spec.upstream().http2());
    }

    private LoopPool newPool(EventLoop loop, boolean http2) {
        return http2
                ? new Http2UpstreamPool(loop, spec, () -> sslContext, stats, channelClass, remote, perLoop, breaker)
                : new UpstreamPool(loop, spec, () -> sslContext, stats, channelClass, remote, perLoop, breaker);
    }

    /**
     * With {@code protocol: auto}, whether the API server picks h2: asked once per cluster by a probe connection
     * (again after a probe that failed); without TLS there is no ALPN, so HTTP/1.1.
     */
    private CompletableFuture<Boolean> picksHttp2(EventLoop loop) {
        CompletableFuture<Boolean> known = picked.get();
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        if (!picked.compareAndSet(known, mine)) {
            return picked.get();
        }
        if (sslContext == null) {
            mine.complete(false);
            return mine;
        }
        ProtocolProbe.picksHttp2(loop, spec, sslContext, channelClass, remote).whenComplete((h2, err) -> {
            if (err != null) {
                mine.completeExceptionally(err);
            } else {
                LOG.info("cluster {}: upstream protocol auto: the API server picked {} in TLS ALPN", spec.name(),
                        h2 ? "HTTP/2" : "HTTP/1.1");
                mine.complete(h2);
            }
        });
        return mine;
    }

    @Override
    public boolean streams() {
        if (!spec.upstream().auto()) {
            return spec.upstream().http2();
        }
        CompletableFuture<Boolean> known = picked.get();
        return known != null && !known.isCompletedExceptionally() && known.getNow(false);
    }

    /** Swaps in new TLS material (a reloaded client certificate or CA); every pool drains its old connections. */
    @Override
    public void replaceTls(SslContext fresh) {
        sslContext = fresh;
        for (LoopPool pool : pools.values()) {
            pool.loop().execute(pool::drainForNewTls);
        }
    }

    /** The circuit shared by this cluster's pools. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public boolean circuitOpen() {
        return breaker.open();
    }

    @Override
    public void close() {
        for (LoopPool pool : pools.values()) {
            pool.loop().execute(pool::close);
        }
    }
}
