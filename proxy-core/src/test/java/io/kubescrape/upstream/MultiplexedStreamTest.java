package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.metrics.PoolStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
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
 * One HTTP/2 stream as an exchange sees it, against a real HTTP/2 server codec on Netty's local transport: a
 * caller that stops reading holds the server back by the stream window (nothing piles up in kubescrape), a stream
 * given up mid-response is reset while its connection goes on serving, and a reset from the server breaks only its
 * own exchange.
 */
class MultiplexedStreamTest {
    /** The body of {@code /big}: 48 pieces of 64 KiB, piece i filled with the byte i. */
    private static final int PIECE = 64 * 1024;
    private static final int PIECES = 48;

    private EventLoopGroup group;
    private EventLoop loop;
    private LocalAddress address;
    private Channel server;
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private final List<Long> resets = new CopyOnWriteArrayList<>();
    private final PoolStats stats = new PoolStats();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        loop = group.next();
        address = new LocalAddress("h2s-" + UUID.randomUUID());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new Answer()));
                    }
                }).bind(address).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** /big: 3 MiB in 64 KiB frames; /reset: RST_STREAM; anything else: a small body. */
    @ChannelHandler.Sharable
    private final class Answer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame h) {
                String path = h.headers().path().toString();
                if (path.equals("/reset")) {
                    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
                } else if (path.equals("/big")) {
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                    for (int i = 0; i < PIECES; i++) {
                        byte[] bytes = new byte[PIECE];
                        Arrays.fill(bytes, (byte) i);
                        ByteBuf piece = Unpooled.wrappedBuffer(bytes);
                        ctx.write(new DefaultHttp2DataFrame(piece, i == PIECES - 1));
                    }
                    ctx.flush();
                } else {
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(new byte[] {'o', 'k'}), true));
                }
            }
            ReferenceCountUtil.release(msg);
        }

        /** A stream's RST_STREAM comes as an event (it is not flow-controlled). */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r) {
                resets.add(r.errorCode());
            }
        }
    }

    private Http2UpstreamPool pool() {
        UpstreamSettings u = new UpstreamSettings(1, 10, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofMinutes(1), null, null, null, null, null, null, UpstreamSettings.HTTP2, 100)
                .orElse(UpstreamSettings.BUILTIN);
        ClusterSpec spec = new ClusterSpec("local", URI.create("http://local:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u,
                DiscoverySettings.OFF);
        return new Http2UpstreamPool(loop, spec, () -> null, stats, LocalChannel.class, address, 1,
                new CircuitBreaker(5, 5000));
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** An exchange that checks every byte of /big as it comes and reads on only while {@code reading}. */
    private final class Reader implements UpstreamExchange {
        final UpstreamLink stream;
        final boolean big;
        final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        volatile boolean reading;
        volatile long received;

        Reader(UpstreamLink stream, boolean big, boolean reading) {
            this.stream = stream;
            this.big = big;
            this.reading = reading;
        }

        @Override
        public void onResponse(HttpResponse response) {
            head.complete(response);
        }

        @Override
        public void onContent(HttpContent content) {
            byte[] b = ByteBufUtil.getBytes(content.content());
            for (int i = 0; big && i < b.length; i++) {
                if (b[i] != (byte) ((received + i) / PIECE)) {
                    done.completeExceptionally(new AssertionError("byte " + (received + i) + " is wrong"));
                    break;
                }
            }
            received += b.length;
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (last) {
                done.complete(received);
            }
        }

        @Override
        public void onReadComplete() {
            if (reading) {
                stream.read();
            }
        }

        @Override
        public void onBroken(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    /** @param reading whether the exchange asks for more after each piece (else only the first piece comes) */
    private Reader send(Http2UpstreamPool pool, String path, boolean reading) throws Exception {
        UpstreamLink stream = onLoop(() -> pool.acquire(false)).get(5, TimeUnit.SECONDS);
        Reader r = new Reader(stream, path.equals("/big"), reading);
        onLoop(() -> {
            stream.attach(r);
            var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            req.headers().set(HttpHeaderNames.HOST, "local");
            stream.send(req);
            return null;
        });
        return r;
    }

    @Test
    void aCallerThatStopsReadingHoldsTheServerBackByTheStreamWindowThenGetsEveryByte() throws Exception {
        Http2UpstreamPool pool = pool();
        Reader r = send(pool, "/big", false);
        r.head.get(5, TimeUnit.SECONDS);
        Thread.sleep(500);
        long handed = onLoop(() -> r.received);
        assertThat(handed).as("handed on before the caller stopped reading").isLessThan(PIECES * (long) PIECE);
        assertThat(r.done).as("the server is held back, not the whole body taken in").isNotDone();
        r.reading = true;
        onLoop(() -> {
            r.stream.read();
            return null;
        });
        assertThat(r.done.get(5, TimeUnit.SECONDS)).isEqualTo(PIECES * (long) PIECE);
        onLoop(() -> {
            pool.release(r.stream);
            return null;
        });
        awaitTrue(() -> stats.streams.get() == 0);
        assertThat(resets).as("a complete stream is not reset").isEmpty();
    }

    @Test
    void aStreamGivenUpMidResponseIsResetAndItsConnectionServesTheNext() throws Exception {
        Http2UpstreamPool pool = pool();
        Reader r = send(pool, "/big", false);
        r.head.get(5, TimeUnit.SECONDS);
        onLoop(() -> {
            pool.discard(r.stream);
            return null;
        });
        awaitTrue(() -> resets.contains(Http2Error.CANCEL.code()));
        awaitTrue(() -> stats.streams.get() == 0);
        Reader next = send(pool, "/small", true);
        assertThat(next.done.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(accepted).as("the same connection").hasSize(1);
    }

    @Test
    void aResetFromTheServerBreaksOnlyItsOwnExchange() throws Exception {
        Http2UpstreamPool pool = pool();
        Reader reset = send(pool, "/reset", true);
        Reader fine = send(pool, "/small", true);
        assertThat(fine.done.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        try {
            reset.done.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected the exchange to break");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("reset the HTTP/2 stream (INTERNAL_ERROR)");
        }
        awaitTrue(() -> stats.streams.get() == 0); // both closed: a stream's place is free once it ends
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
