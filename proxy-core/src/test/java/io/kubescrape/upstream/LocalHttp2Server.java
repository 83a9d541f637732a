package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.metrics.PoolStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP/2 server codec on Netty's local transport (prior knowledge, no TLS), sharing its one event loop with
 * the pools made against it; each stream is answered by the given handler (a stream channel's handler).
 */
final class LocalHttp2Server implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    final EventLoop loop = group.next();
    final LocalAddress address = new LocalAddress("h2-" + UUID.randomUUID());
    /** The server side of every connection accepted, in order. */
    final List<Channel> accepted = new CopyOnWriteArrayList<>();
    final Channel server;

    LocalHttp2Server(ChannelHandler streamHandler) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(streamHandler));
                    }
                }).bind(address).sync().channel();
    }

    Http2UpstreamPool pool(PoolStats stats, int maxConnections, int maxStreams, int maxPending,
                           Duration acquireTimeout) {
        UpstreamSettings u = new UpstreamSettings(maxConnections, maxPending, Duration.ofSeconds(1), acquireTimeout,
                Duration.ofMinutes(1), null, null, null, null, null, null, UpstreamSettings.HTTP2, maxStreams)
                .orElse(UpstreamSettings.BUILTIN);
        ClusterSpec spec = new ClusterSpec("local", URI.create("http://local:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u,
                DiscoverySettings.OFF);
        return new Http2UpstreamPool(loop, spec, () -> null, stats, LocalChannel.class, address, maxConnections,
                new CircuitBreaker(5, 5000));
    }

    <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    static void awaitTrue(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
