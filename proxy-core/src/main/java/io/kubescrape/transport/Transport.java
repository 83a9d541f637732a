package io.kubescrape.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * The socket transport, one choice for both the server and the upstream pools. By default io_uring where the
 * kernel allows it (a scrape's reads and writes queued to the kernel and submitted together, not one system call
 * each: measured 1.2 × epoll's scrapes per second), else native epoll (container seccomp profiles and
 * kernel.io_uring_disabled often refuse io_uring), else Java NIO (off Linux).
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {
    static {
        NettyDefaults.apply(); // before Netty's IoUring class loads
    }

    /** The names {@link #choose} takes. */
    public static final List<String> NAMES = List.of("auto", "io_uring", "epoll", "nio");

    /** @param preferNative false for NIO (the {@code --no-native} flag) */
    public static Transport detect(boolean preferNative) {
        return choose(preferNative ? "auto" : "nio");
    }

    /**
     * @param wanted one of {@link #NAMES}: "auto" is the first of io_uring, epoll, NIO that works here; a named
     *               one must work here
     * @throws IllegalArgumentException for an unknown name, or a named transport that cannot run here (says why)
     */
    public static Transport choose(String wanted) {
        switch (wanted) {
            case "auto":
                return choose(auto(IoUring.isAvailable(), Epoll.isAvailable()));
            case "io_uring":
                return available("io_uring", IoUring.isAvailable(), IoUring.unavailabilityCause(), Transport::ioUring);
            case "epoll":
                return available("epoll", Epoll.isAvailable(), Epoll.unavailabilityCause(), Transport::epoll);
            case "nio":
                return nio();
            default:
                throw new IllegalArgumentException("unknown transport '" + wanted + "'; one of " + NAMES);
        }
    }

    /** What "auto" means, given what works here. */
    static String auto(boolean ioUringAvailable, boolean epollAvailable) {
        return ioUringAvailable ? "io_uring" : epollAvailable ? "epoll" : "nio";
    }

    private static Transport available(String name, boolean available, Throwable cause,
                                       Supplier<Transport> transport) {
        if (!available) {
            throw new IllegalArgumentException(name + " is not available here: " + cause);
        }
        return transport.get();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    private static Transport ioUring() {
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    /**
     * TCP keepalive that notices a vanished peer within about a minute, where the transport can set it (the
     * kernel's default probes only after 2 h: a half-open connection holding a quiet watch would go unnoticed).
     */
    public static void keepAlive(Bootstrap b, Class<? extends Channel> channelClass) {
        if (EpollSocketChannel.class.isAssignableFrom(channelClass)) {
            b.option(EpollChannelOption.TCP_KEEPIDLE, 30)
                    .option(EpollChannelOption.TCP_KEEPINTVL, 10)
                    .option(EpollChannelOption.TCP_KEEPCNT, 3);
        } else if (IoUringSocketChannel.class.isAssignableFrom(channelClass)) {
            b.option(IoUringChannelOption.TCP_KEEPIDLE, 30)
                    .option(IoUringChannelOption.TCP_KEEPINTVL, 10)
                    .option(IoUringChannelOption.TCP_KEEPCNT, 3);
        }
    }

    /** @param threads 0 for one event loop per core */
    public MultiThreadIoEventLoopGroup newGroup(int threads, String threadPrefix) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory(threadPrefix),
                ioHandlerFactory);
    }
}
