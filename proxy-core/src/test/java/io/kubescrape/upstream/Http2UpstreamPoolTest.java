package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.PoolStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 pool on Netty's local transport against a real HTTP/2 server codec (prior knowledge, no TLS):
 * streams share connections up to the stream limit, waiting and its bounds, GOAWAY, and refused connects.
 */
class Http2UpstreamPoolTest {
    private final PoolStats stats = new PoolStats();
    private LocalHttp2Server h2;
    private List<Channel> accepted;

    @BeforeEach
    void start() throws Exception {
        h2 = new LocalHttp2Server(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new Answer());
            }
        });
        accepted = h2.accepted;
    }

    /** Answers every request with a small body and a header of the pod's. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.uri().equals("/split")) {
                // HPACK carries any octet: a hostile server could try to split the response kubescrape writes
                // downstream as HTTP/1.1. Written as a raw frame: the HTTP conversion would refuse to send it.
                ctx.channel().writeAndFlush(new DefaultHttp2HeadersFrame(
                        new DefaultHttp2Headers(false).status("200")
                                .add("x-evil", "a\r\nSet-Cookie: owned=1"), true));
                return;
            }
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("up 1\n", StandardCharsets.US_ASCII));
            r.headers().set("x-pod", "web-0").setInt(HttpHeaderNames.CONTENT_LENGTH, 5);
            ctx.writeAndFlush(r);
        }
    }

    @AfterEach
    void stop() {
        h2.close();
    }

    private Http2UpstreamPool pool(int maxConnections, int maxStreams, int maxPending, Duration acquireTimeout) {
        return h2.pool(stats, maxConnections, maxStreams, maxPending, acquireTimeout);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return h2.onLoop(task);
    }

    private UpstreamLink acquire(Http2UpstreamPool pool) throws Exception {
        return onLoop(() -> pool.acquire(false)).get(5, TimeUnit.SECONDS);
    }

    private static Channel connectionOf(UpstreamLink stream) {
        return ((MultiplexedStream) stream).connectionChannel();
    }

    @Test
    void streamsShareAConnectionUpToTheLimitAndAWaiterGetsTheNextFreeStream() throws Exception {
        Http2UpstreamPool pool = pool(2, 3, 10, Duration.ofSeconds(5));
        List<UpstreamLink> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(acquire(pool));
        }
        assertThat(accepted).as("three streams, one connection").hasSize(1);
        streams.add(acquire(pool));
        assertThat(accepted).as("the fourth stream needs a second connection").hasSize(2);
        for (int i = 0; i < 2; i++) {
            streams.add(acquire(pool));
        }
        Future<UpstreamLink> waiting = onLoop(() -> pool.acquire(false));
        Thread.sleep(100);
        assertThat(waiting.isDone()).as("both connections full: the seventh waits").isFalse();
        assertThat(stats.pendingAcquires.get()).isEqualTo(1);
        assertThat(stats.streams.get()).isEqualTo(6);
        onLoop(() -> {
            pool.release(streams.remove(0));
            return null;
        });
        streams.add(waiting.get(5, TimeUnit.SECONDS));
        assertThat(accepted).as("the freed stream was reused, no third connection").hasSize(2);
        onLoop(() -> {
            streams.forEach(pool::release);
            return null;
        });
        LocalHttp2Server.awaitTrue(() -> stats.streams.get() == 0 && stats.idle.get() == 2);
        assertThat(stats.open.get()).isEqualTo(2);
        assertThat(stats.pendingAcquires.get()).isZero();
    }

    @Test
    void aRequestOnAStreamGetsItsResponseWithoutTheConversionsStreamIdHeader() throws Exception {
        Http2UpstreamPool pool = pool(1, 10, 10, Duration.ofSeconds(5));
        Exchange e = exchange(pool, "/metrics");
        assertThat(e.done.get(5, TimeUnit.SECONDS)).isEqualTo("up 1\n");
        HttpResponse r = e.head.get();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().get("x-pod")).isEqualTo("web-0");
        assertThat(r.headers().names()).noneMatch(n -> n.startsWith("x-http2"));
        onLoop(() -> {
            pool.release(e.stream);
            return null;
        });
        LocalHttp2Server.awaitTrue(() -> stats.streams.get() == 0 && stats.idle.get() == 1);
    }

    @Test
    void aHeaderValueWithALineBreakNeverReachesTheExchange() throws Exception {
        Http2UpstreamPool pool = pool(1, 10, 10, Duration.ofSeconds(5));
        Exchange e = exchange(pool, "/split");
        try {
            e.done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException broken) {
            assertThat(e.head.isDone()).as("refused before any head was handed on").isFalse();
            return;
        }
        e.head.get().headers().forEach(h -> assertThat(h.getValue()).doesNotContain("\r").doesNotContain("\n"));
    }

    private record Exchange(UpstreamLink stream, CompletableFuture<HttpResponse> head, CompletableFuture<String> done) {
    }

    /** Sends a GET on a new stream; the futures complete with the response head and the whole body. */
    private Exchange exchange(Http2UpstreamPool pool, String path) throws Exception {
        UpstreamLink stream = acquire(pool);
        CompletableFuture<HttpResponse> head = new CompletableFuture<>();
        StringBuilder body = new StringBuilder();
        CompletableFuture<String> done = new CompletableFuture<>();
        onLoop(() -> {
            stream.attach(new UpstreamExchange() {
                @Override
                public void onResponse(HttpResponse response) {
                    head.complete(response);
                }

                @Override
                public void onContent(HttpContent content) {
                    body.append(content.content().toString(StandardCharsets.US_ASCII));
                    boolean last = content instanceof LastHttpContent;
                    content.release();
                    if (last) {
                        done.complete(body.toString());
                    }
                }

                @Override
                public void onReadComplete() {
                    stream.read();
                }

                @Override
                public void onBroken(Throwable cause) {
                    done.completeExceptionally(cause);
                }
            });
            var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            req.headers().set(HttpHeaderNames.HOST, "local");
            stream.send(req);
            return null;
        });
        return new Exchange(stream, head, done);
    }

    @Test
    void beyondTheWaitingLimitAcquiresFailAtOnceAndWaitersTimeOut() throws Exception {
        Http2UpstreamPool pool = pool(1, 1, 1, Duration.ofMillis(200));
        acquire(pool);
        Future<UpstreamLink> waiter = onLoop(() -> pool.acquire(false));
        Future<UpstreamLink> refused = onLoop(() -> pool.acquire(false));
        assertThat(refused.isDone()).isTrue();
        assertThat(((ScrapeException) refused.cause()).outcome()).isEqualTo(ScrapeOutcome.POOL_EXHAUSTED);
        assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("200 ms");
        assertThat(stats.pendingAcquires.get()).isZero();
    }

    @Test
    void aConnectionToldToGoAwayTakesNoNewStreamsAndClosesAfterItsLast() throws Exception {
        Http2UpstreamPool pool = pool(2, 10, 10, Duration.ofSeconds(5));
        UpstreamLink first = acquire(pool);
        Channel firstConnection = connectionOf(first);
        accepted.get(0).writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        LocalHttp2Server.awaitTrue(() -> onLoop(() -> firstConnection.pipeline().get(Http2ConnectionHandler.class).connection()
                .goAwayReceived()));
        UpstreamLink second = acquire(pool);
        assertThat(accepted).as("a new connection for the next stream").hasSize(2);
        assertThat(connectionOf(second)).isNotSameAs(firstConnection);
        onLoop(() -> {
            pool.release(first);
            return null;
        });
        firstConnection.closeFuture().await(5, TimeUnit.SECONDS);
        assertThat(firstConnection.isActive()).as("closed once its last stream ended").isFalse();
        LocalHttp2Server.awaitTrue(() -> stats.open.get() == 1);
        assertThat(connectionOf(second).isActive()).isTrue();
    }

    @Test
    void aRefusedConnectFailsTheWaitersAtOnceAndIsNotRetriedInALoop() throws Exception {
        h2.server.close().sync();
        Http2UpstreamPool pool = pool(2, 10, 10, Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        Future<UpstreamLink> f = onLoop(() -> pool.acquire(false));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(((ScrapeException) f.cause()).outcome()).isEqualTo(ScrapeOutcome.UPSTREAM_CONNECT);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        Thread.sleep(200);
        assertThat(stats.connectFailures.get()).as("one attempt, not a reconnect loop").isEqualTo(1);
        assertThat(stats.open.get()).isZero();
    }
}
