package io.kubescrape.upstream;

import io.kubescrape.metrics.PoolStats;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;

/**
 * One HTTP/2 connection of an {@link Http2UpstreamPool}, with the streams kubescrape has open on it. Touched
 * only on its pool's event loop.
 */
final class MultiplexedConnection {
    /**
     * Streams opened over a connection's life before it is retired: stream ids run out at 2^30, which a busy
     * connection would reach within a day.
     */
    static final long LIFETIME_STREAMS = 1L << 24;

    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString HTTP = AsciiString.cached("http");

    final Channel channel;
    final int generation;
    private final PoolStats stats;
    private Http2Dispatch streams;
    private Http2Connection http2;
    private AsciiString scheme;
    private int open;
    private long opened;
    private long idleSince = System.nanoTime();
    private boolean countedIdle;
    private boolean gone;

    MultiplexedConnection(Channel channel, int generation, PoolStats stats) {
        this.channel = channel;
        this.generation = generation;
        this.stats = stats;
    }

    /** The handshake is done and h2 agreed: streams may be opened. */
    void ready() {
        streams = channel.pipeline().get(Http2Dispatch.class);
        http2 = streams.connection();
        scheme = channel.pipeline().get(SslHandler.class) != null ? HTTPS : HTTP;
        setIdle(true);
    }

    boolean isReady() {
        return streams != null;
    }

    /** Whether a new stream may go here: ready, not told to go away, not retired, below the stream limits. */
    boolean accepts(int maxStreams, int currentGeneration) {
        return streams != null && channel.isActive() && generation == currentGeneration && !http2.goAwayReceived()
                && opened < LIFETIME_STREAMS && open < Math.min(maxStreams, http2.local().maxActiveStreams());
    }

    /** No new stream will ever go here again: close it once its last stream ends. */
    boolean retired(int currentGeneration) {
        return generation != currentGeneration || opened >= LIFETIME_STREAMS
                || (http2 != null && http2.goAwayReceived());
    }

    /** A place for one more stream; the stream itself is made when its request goes out. */
    MultiplexedStream openStream(Http2UpstreamPool pool) {
        open++;
        opened++;
        setIdle(false);
        return new MultiplexedStream(this, pool);
    }

    Http2Dispatch dispatch() {
        return streams;
    }

    AsciiString scheme() {
        return scheme;
    }

    /** A stream from {@link #openStream} ended (or never opened). */
    void streamEnded() {
        open--;
        if (open == 0) {
            idleSince = System.nanoTime();
            setIdle(true);
        }
    }

    int openStreams() {
        return open;
    }

    boolean idleLongerThan(long nanos, long now) {
        return open == 0 && streams != null && now - idleSince > nanos;
    }

    /** It closed: never counted as idle again (its streams end after it). */
    void forget() {
        setIdle(false);
        gone = true;
    }

    private void setIdle(boolean idle) {
        if (idle != countedIdle && !gone) {
            countedIdle = idle;
            stats.idle.addAndGet(idle ? 1 : -1);
        }
    }
}
