package io.kubescrape.it;

import io.kubescrape.sim.ApiAuth;
import io.kubescrape.sim.HttpProtocols;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal HTTPS API server for streaming tests: serves a pod object for any pod, and at the pod-proxy path a
 * body of {@code bodyBytes} generated on the fly (never held in memory), so multi-hundred-megabyte relays can
 * be checked by digest. Pods named {@code cut-*} promise the full Content-Length and close half-way.
 * Authenticates by bearer token or by a client certificate the server's SslContext verified.
 */
public final class StreamingApiServer implements AutoCloseable {
    private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([a-z0-9-]+)/pods/([a-z0-9.-]+)$");
    private static final Pattern PROXY =
            Pattern.compile("^/api/v1/namespaces/([a-z0-9-]+)/pods/(?:https:)?([a-z0-9.-]+):(\\d+)/proxy(/.*)$");
    private static final byte[] LINE = ("node_network_receive_bytes_total{device=\"eth0\"} 1.2345678e+09\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 16 * 1024;
    /** The line repeated over a chunk and one line more, so a chunk may start anywhere within a line. */
    private static final byte[] LINES = new byte[CHUNK + LINE.length];

    static {
        for (int i = 0; i < LINES.length; i++) {
            LINES[i] = LINE[i % LINE.length];
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final String token;
    private final long bodyBytes;
    private final Channel channel;
    /** Requests seen, by kind, so tests can assert what reached the upstream. */
    public final AtomicInteger podGets = new AtomicInteger();
    public final AtomicInteger proxyGets = new AtomicInteger();
    public final AtomicInteger connections = new AtomicInteger();
    /** Body bytes handed to the network so far, over all responses (what back-pressure holds back). */
    public final AtomicLong bodyBytesSent = new AtomicLong();

    public StreamingApiServer(SslContext ssl, String token, long bodyBytes) throws InterruptedException {
        this.token = token;
        this.bodyBytes = bodyBytes;
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpProtocols(() -> new ChannelHandler[] {
                                new HttpObjectAggregator(8192), new ChunkedWriteHandler(), new Handler()}));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /** The SHA-256 of the body served at every pod-proxy path, computed the same way the server writes it. */
    public static byte[] expectedDigest(long bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long left = bytes;
        while (left > 0) {
            int n = (int) Math.min(LINE.length, left);
            md.update(LINE, 0, n);
            left -= n;
        }
        return md.digest();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!ApiAuth.authenticated(ctx, req, token)) {
                json(ctx, req, HttpResponseStatus.UNAUTHORIZED, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
                return;
            }
            String uri = req.uri();
            Matcher pod = POD.matcher(uri);
            Matcher proxy = PROXY.matcher(uri);
            if (pod.matches()) {
                podGets.incrementAndGet();
                json(ctx, req, HttpResponseStatus.OK, "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
                        + pod.group(2) + "\",\"namespace\":\"" + pod.group(1) + "\",\"annotations\":{}},"
                        + "\"spec\":{\"containers\":[{\"name\":\"app\",\"ports\":[{\"name\":\"metrics\","
                        + "\"containerPort\":9100,\"protocol\":\"TCP\"}]}]},\"status\":{\"phase\":\"Running\"}}");
            } else if (proxy.matches()) {
                proxyGets.incrementAndGet();
                stream(ctx, req, proxy.group(2).startsWith("cut-"));
            } else {
                json(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"kind\":\"Status\",\"code\":404,\"message\":\"no\"}");
            }
        }

        private void stream(ChannelHandlerContext ctx, FullHttpRequest req, boolean cut) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4");
            HttpUtil.setContentLength(r, bodyBytes);
            HttpUtil.setKeepAlive(r, HttpUtil.isKeepAlive(req));
            ctx.write(r);
            long limit = cut ? bodyBytes / 2 : bodyBytes;
            var f = ctx.writeAndFlush(new HttpChunkedInput(new Body(limit, bodyBytesSent)));
            if (cut) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            HttpUtil.setKeepAlive(r, HttpUtil.isKeepAlive(req));
            var f = ctx.writeAndFlush(r);
            if (!HttpUtil.isKeepAlive(req)) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The repeated exposition line, {@code total} bytes of it, 16 KB at a time. */
    private static final class Body implements ChunkedInput<ByteBuf> {
        private final long total;
        private final AtomicLong counter;
        private long sent;

        Body(long total, AtomicLong counter) {
            this.total = total;
            this.counter = counter;
        }

        @Override
        public boolean isEndOfInput() {
            return sent >= total;
        }

        @Override
        public void close() {
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) {
            if (isEndOfInput()) {
                return null;
            }
            // A window on a prepared run of lines: no copy, and no leak tracking of a gigabyte's 65,000 chunks
            // (the test JVMs run Netty's detector at PARANOID, which would make this server the bottleneck).
            int n = (int) Math.min(CHUNK, total - sent);
            ByteBuf buf = Unpooled.wrappedBuffer(LINES, (int) (sent % LINE.length), n);
            sent += n;
            counter.addAndGet(n);
            return buf;
        }

        @Override
        public long length() {
            return total;
        }

        @Override
        public long progress() {
            return sent;
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
