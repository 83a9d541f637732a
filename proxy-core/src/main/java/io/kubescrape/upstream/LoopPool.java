package io.kubescrape.upstream;

import io.netty.channel.EventLoop;

/** A real pool as {@link UpstreamPools} manages it: owned by one event loop, drained on new TLS, closed. */
interface LoopPool extends UpstreamChannelPool {
    EventLoop loop();

    /** New TLS material: connections made from now on use it; the old ones go as soon as they are unused. */
    void drainForNewTls();

    /** Fails waiters and closes connections as their exchanges end. */
    void close();
}
