package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One cluster's pools, one per event loop, so a scrape's downstream and upstream channels share a thread:
 * HTTP/2 ({@link Http2UpstreamPool}) or HTTP/1.1 ({@link UpstreamPool}) as the cluster's upstream.protocol says.
 * The cluster's connection limit is split evenly between the loops.
 */
public final class UpstreamPools implements ClusterPools {
    private final ClusterSpec spec;
    private volatile SslContext sslContext;
    private final PoolStats stats;
    private final Class<? extends Channel> channelClass;
    private final int perLoop;
    private final ConcurrentMap<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
    private final CircuitBreaker breaker = new CircuitBreaker(5, 5000);

    public UpstreamPools(ClusterSpec spec, SslContext sslContext, PoolStats stats,
                         Class<? extends Channel> channelClass, int eventLoops) {
        this.spec = spec;
        this.sslContext = sslContext;
        this.stats = stats;
        this.channelClass = channelClass;
        this.perLoop = Math.max(1, (spec.upstream().maxConnections() + eventLoops - 1) / eventLoops);
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
        var remote = InetSocketAddress.createUnresolved(spec.server().getHost(), spec.port());
        return spec.upstream().http2()
                ? new Http2UpstreamPool(loop, spec, () -> sslContext, stats, channelClass, remote, perLoop, breaker)
                : new UpstreamPool(loop, spec, () -> sslContext, stats, channelClass, remote, perLoop, breaker);
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
