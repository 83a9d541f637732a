package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.metrics.PoolStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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

    private final List<Long> resets = new CopyOnWriteArrayList<>();
    private final PoolStats stats = new PoolStats();
    private LocalHttp2Server h2;

    @BeforeEach
    void start() throws Exception {
        h2 = new LocalHttp2Server(new Answer());
    }

    @AfterEach
    void stop() {
        h2.close();
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
        return h2.pool(stats, 1, 100, 10, Duration.ofSeconds(5));
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return h2.onLoop(task);
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
        LocalHttp2Server.awaitTrue(() -> stats.streams.get() == 0);
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
        LocalHttp2Server.awaitTrue(() -> resets.contains(Http2Error.CANCEL.code()));
        LocalHttp2Server.awaitTrue(() -> stats.streams.get() == 0);
        Reader next = send(pool, "/small", true);
        assertThat(next.done.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(h2.accepted).as("the same connection").hasSize(1);
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
        LocalHttp2Server.awaitTrue(() -> stats.streams.get() == 0); // both closed: a stream's place is free once it ends
    }
}
