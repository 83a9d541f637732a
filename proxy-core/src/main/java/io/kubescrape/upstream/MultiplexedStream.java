package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One HTTP/2 stream of a {@link MultiplexedConnection}, handed out for one exchange. Frames reach it straight from
 * the connection's decoder ({@link Http2Dispatch}): no child channel, no frame objects. The DATA of one read burst
 * goes on as one piece of content when the burst ends (a 16 KB frame each would be as many downstream writes).
 * What arrives while the exchange has not asked to read is held, and its flow-control credit is returned only once
 * it is handed on, so the API server can send a stream no more than its window ahead of a slow caller.
 */
final class MultiplexedStream implements UpstreamLink {
    private final MultiplexedConnection connection;
    private final Http2UpstreamPool pool;
    private UpstreamExchange exchange;
    private Http2Stream stream;
    private boolean reading;
    private boolean drainScheduled;
    private boolean touched;
    private boolean headSeen;
    private boolean complete;
    private boolean ended;
    private final StreamInbox inbox = new StreamInbox();

    MultiplexedStream(MultiplexedConnection connection, Http2UpstreamPool pool) {
        this.connection = connection;
        this.pool = pool;
    }

    @Override
    public void attach(UpstreamExchange e) {
        exchange = e;
    }

    @Override
    public void detach() {
        exchange = null;
    }

    @Override
    public void sendScrape(ClusterSpec spec, HttpMethod method, String path, HttpHeaders downstream,
                           String authorization, double timeoutSeconds) {
        open(UpstreamRequests.scrapeHttp2(spec, method, path, downstream, authorization, timeoutSeconds,
                connection.scheme()));
    }

    @Override
    public void send(HttpRequest request) {
        Http2Headers headers = UpstreamRequests.toHttp2(request, connection.scheme());
        ReferenceCountUtil.release(request);
        open(headers);
    }

    private void open(Http2Headers headers) {
        reading = true;
        Http2Dispatch d = connection.dispatch();
        if (!connection.channel.isActive()) {
            connection.channel.eventLoop().execute(() -> broken(new ClosedChannelException()));
            return;
        }
        stream = d.open(this, headers);
        if (stream == null) {
            ended(); // refused before it existed (stream ids or limits ran out): broken() was told why
        } else {
            d.flush();
        }
    }

    @Override
    public void read() {
        reading = true;
        if (inbox.hasHeld() && !drainScheduled) {
            drainScheduled = true;
            connection.channel.eventLoop().execute(this::drain);
        }
    }

    @Override
    public ByteBufAllocator alloc() {
        return connection.channel.alloc();
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.channel.remoteAddress();
    }

    /** The HTTP/2 connection this stream is on. */
    Channel connectionChannel() {
        return connection.channel;
    }

    /** A response head, an interim head (skipped) or trailers (the end). */
    void headers(Http2Headers headers, boolean endStream) {
        if (complete) {
            return;
        }
        if (headSeen) {
            if (endStream) {
                end(); // trailers: dropped, as over HTTP/1.1
            }
            return;
        }
        HttpResponse head;
        try {
            head = Http2Responses.head(headers);
        } catch (ScrapeException e) {
            fail(e);
            return;
        }
        if (head == null) {
            return; // 1xx before the real response
        }
        headSeen = true;
        queue(head);
        if (endStream) {
            end();
        }
    }

    /**
     * A DATA payload: joined to the others of this read burst, handed on as one piece when the burst ends.
     * @return how many of these bytes may be credited back to the server now (the rest: once handed on)
     */
    int data(ByteBuf data, int padding, boolean endStream) {
        int bytes = data.readableBytes();
        if (complete || !headSeen) {
            if (!complete) {
                fail(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server sent DATA before a "
                        + "response head"));
            }
            return bytes + padding;
        }
        inbox.join(data, alloc());
        touch();
        if (endStream) {
            end();
        }
        return padding;
    }

    /** The server reset the stream. */
    void reset(long errorCode) {
        Http2Error e = Http2Error.valueOf(errorCode);
        broken(new IOException("the API server reset the HTTP/2 stream ("
                + (e != null ? e.name() : "error " + errorCode) + ")"));
    }

    /** The stream is gone (ended, reset, or the connection closed). */
    void closed() {
        if (!complete) {
            broken(new ClosedChannelException());
        }
        ended();
    }

    /**
     * The connection's read burst ended: what came is handed on if the exchange asked for it, and the exchange
     * flushes and asks for more, or does not.
     */
    void burstEnded() {
        touched = false;
        inbox.seal();
        if (reading) {
            handHeld();
        }
    }

    /** The exchange is over: the stream is reset if still open; what is held is dropped. */
    void finish() {
        exchange = null;
        inbox.drop();
        if (stream == null) {
            ended();
        } else if (!complete) {
            // Mid-response: the server stops sending it. A complete one is closed by the decoder right after.
            connection.dispatch().reset(stream, Http2Error.CANCEL);
        }
    }

    /** The response is complete: what is being joined becomes its last piece. */
    private void end() {
        complete = true;
        if (!inbox.endJoined()) {
            queue(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    private void queue(HttpObject o) {
        inbox.add(o);
        touch();
    }

    private void touch() {
        if (!touched) {
            touched = true;
            connection.dispatch().touched(this);
        }
    }

    /** Hands on everything held, credits the server for it, and lets the exchange ask for more. */
    private void handHeld() {
        if (!inbox.hasHeld()) {
            return;
        }
        HttpObject o;
        while ((o = inbox.poll()) != null) {
            hand(o);
        }
        int credit = inbox.takeCredit();
        if (stream != null) {
            connection.dispatch().credit(stream, credit);
        }
        reading = false;
        UpstreamExchange e = exchange;
        if (e != null) {
            e.onReadComplete();
        }
    }

    private void hand(HttpObject o) {
        UpstreamExchange e = exchange;
        if (e == null) {
            ReferenceCountUtil.release(o);
        } else if (o instanceof HttpResponse r) {
            e.onResponse(r);
        } else {
            e.onContent((HttpContent) o);
        }
    }

    private void drain() {
        drainScheduled = false;
        if (reading) {
            handHeld();
        }
    }

    private void fail(ScrapeException e) {
        broken(e);
        if (stream != null) {
            connection.dispatch().reset(stream, Http2Error.PROTOCOL_ERROR);
        }
    }

    /** Tells the exchange once; what is held is dropped. */
    void broken(Throwable cause) {
        complete = true;
        inbox.drop();
        UpstreamExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onBroken(cause);
        }
    }

    /** Its place on the connection is free again (once). */
    private void ended() {
        if (!ended) {
            ended = true;
            pool.streamEnded(connection);
        }
    }
}
