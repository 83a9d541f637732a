package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.metrics.PoolStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
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
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private EventLoopGroup group;
    private EventLoop loop;
    private LocalAddress address;
    private Channel server;
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private final PoolStats stats = new PoolStats();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        loop = group.next();
        address = new LocalAddress("h2-" + UUID.randomUUID());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel stream) {
                                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                                new Answer());
                                    }
                                }));
                    }
                }).bind(address).sync().channel();
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
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Http2UpstreamPool pool(int maxConnections, int maxStreams, int maxPending, Duration acquireTimeout) {
        UpstreamSettings u = new UpstreamSettings(maxConnections, maxPending, Duration.ofSeconds(1), acquireTimeout,
                Duration.ofMinutes(1), null, null, null, null, null, null, UpstreamSettings.HTTP2, maxStreams)
                .orElse(UpstreamSettings.BUILTIN);
        ClusterSpec spec = new ClusterSpec("local", URI.create("http://local:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u,
                DiscoverySettings.OFF);
        return new Http2UpstreamPool(loop, spec, () -> null, stats, LocalChannel.class, address, maxConnections,
                new CircuitBreaker(5, 5000));
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
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
        awaitTrue(() -> stats.streams.get() == 0 && stats.idle.get() == 2);
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
        awaitTrue(() -> stats.streams.get() == 0 && stats.idle.get() == 1);
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
        awaitTrue(() -> onLoop(() -> firstConnection.pipeline().get(Http2ConnectionHandler.class).connection()
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
        awaitTrue(() -> stats.open.get() == 1);
        assertThat(connectionOf(second).isActive()).isTrue();
    }

    @Test
    void aRefusedConnectFailsTheWaitersAtOnceAndIsNotRetriedInALoop() throws Exception {
        server.close().sync();
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

    private static void awaitTrue(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
