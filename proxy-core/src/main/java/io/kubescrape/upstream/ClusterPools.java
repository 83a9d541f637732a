package io.kubescrape.upstream;

import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.util.function.Function;

/** What a cluster needs of its upstream connections: a pool per event loop, new TLS, the circuit, closing. */
public interface ClusterPools {
    /** The pool of the given loop; call from that loop. */
    UpstreamChannelPool on(EventLoop loop);

    /** Swaps in new TLS material (a reloaded client certificate or CA); pooled connections drain. */
    void replaceTls(SslContext fresh);

    /** Whether scrapes go as HTTP/2 streams: as configured, or as the API server picked under {@code auto}. */
    default boolean streams() {
        return false;
    }

    /** Whether new connections are refused after repeated failures. */
    boolean circuitOpen();

    void close();

    /** Pools that are given (tests on local channels): no TLS to replace, a circuit that never opens. */
    static ClusterPools of(Function<EventLoop, UpstreamChannelPool> pools) {
        return new ClusterPools() {
            @Override
            public UpstreamChannelPool on(EventLoop loop) {
                return pools.apply(loop);
            }

            @Override
            public void replaceTls(SslContext fresh) {
            }

            @Override
            public boolean circuitOpen() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }
}
