package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.sd.ServiceDiscovery;
import io.kubescrape.server.admin.AdminRoutes;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.auth.PasswordCheck;
import io.kubescrape.server.connection.ConnectionLimiter;
import io.kubescrape.server.connection.DownstreamInitializer;
import io.kubescrape.server.connection.SharedByConnections;
import io.kubescrape.server.http.HostCheck;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.share.Flights;
import io.kubescrape.server.state.Addresses;
import io.kubescrape.server.state.LiveConfig;
import io.kubescrape.server.state.Reloads;
import io.kubescrape.server.state.Serving;
import io.kubescrape.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/** The listening server: one event-loop group serves both downstream and upstream channels. */
public final class ProxyServer implements AutoCloseable {
    private final ProxyConfig config;
    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ProxyMetrics metrics;
    private final LiveConfig live;
    private final ServiceDiscovery sd;
    private final LastScrapes lastScrapes = new LastScrapes();
    private final Flights flights = new Flights();
    private final Serving serving = new Serving();
    private final Addresses addresses;
    private final Reloads reloads;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * bcrypt for basic auth, on half the cores (at least one) with 64 checks queued at most, so that a flood of
     * wrong passwords leaves the other half to the event loops; kept across reloads.
     */
    private final PasswordCheck passwords = new PasswordCheck(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 64);
    private Channel listener;
    private FileSdWriter fileSd;
    private final ConfigReloader reloader;
    private final ConnectionLimiter connections;
    private final SslContext inboundTls;
    private final ScheduledExecutorService sdBuilder =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kubescrape-sd");
                t.setDaemon(true);
                return t;
            });

    public ProxyServer(ProxyConfig config, Transport transport) throws ConfigException {
        this(config, transport, null, false);
    }

    /**
     * @param reloadSource where a reload reads the configuration from (null: no reload)
     * @param lifecycle    whether POST /-/reload may trigger one (--enable-lifecycle); SIGHUP always may
     */
    public ProxyServer(ProxyConfig config, Transport transport, ConfigSource reloadSource, boolean lifecycle)
            throws ConfigException {
        this.config = config;
        this.transport = transport;
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.acceptor = transport.newGroup(1, "kubescrape-accept");
        this.workers = transport.newGroup(threads, "kubescrape-io");
        this.metrics = new ProxyMetrics();
        metrics.bindEventLoops(workers);
        ClusterRegistry clusters;
        try {
            clusters = ClusterRegistry.create(config, transport.socketChannel(), threads, metrics);
        } catch (ConfigException e) {
            shutdownGroups();
            throw e;
        }
        Callers callers;
        try {
            callers = new Callers(config.callers(), passwords);
            this.inboundTls = config.tls() == null ? null : InboundTlsContext.build(config.tls());
        } catch (ConfigException e) {
            clusters.close();
            shutdownGroups();
            throw e;
        }
        this.live = new LiveConfig(clusters, callers, config.aggregate());
        this.sd = new ServiceDiscovery(live::clusters);
        this.addresses = new Addresses(config.externalAddress());
        this.reloader = reloadSource == null ? null : new ConfigReloader(reloadSource, live, passwords, config,
                metrics, transport.socketChannel(), threads, sdBuilder, this::attach);
        this.reloads = reloader == null ? Reloads.NONE
                : new Reloads(reloader::request, lifecycle);
        this.connections = new ConnectionLimiter(config.limits().maxConnections());
        metrics.bindDownstream(connections::open, connections.rejected);
    }

    /** Binds the listen address; returns the bound address (useful with port 0). */
    public InetSocketAddress start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new DownstreamInitializer(new SharedByConnections(live, lastScrapes, serving, reloads,
                        new AdminRoutes(live, metrics, sd, serving, addresses, lastScrapes), HostCheck.of(config),
                        flights),
                        config.limits(), connections, inboundTls));
        listener = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        addresses.listen(config.listen().host().contains(":") ? "[" + config.listen().host() + "]:" + bound.getPort()
                : config.listen().host() + ":" + bound.getPort());
        if (config.fileSd() != null) {
            fileSd = new FileSdWriter(config.fileSd(), addresses.usual(), sd, live::clusters, metrics);
        }
        attach(live.clusters());
        if (fileSd != null) {
            fileSd.start();
        }
        sdBuilder.scheduleWithFixedDelay(this::reloadTlsFiles, 5, 5, TimeUnit.SECONDS);
        sdBuilder.scheduleWithFixedDelay(() -> lastScrapes.prune(System.currentTimeMillis()), 1, 1,
                TimeUnit.MINUTES);
        serving.serving(true);
        return bound;
    }

    /** Starts discovery, SD prebuilds and file_sd for a set of clusters (at start, and after a reload). */
    private void attach(ClusterRegistry registry) {
        sd.prebuildOnChange(sdBuilder, addresses::usual);
        registry.all().forEach(c -> c.startDiscovery(workers));
        if (fileSd != null && registry != live.clusters()) {
            fileSd.watch(registry);
        }
    }

    /** Rotated client certificates, keys and CAs: checked every few seconds, off the event loops. */
    private void reloadTlsFiles() {
        for (Cluster c : live.clusters().all()) {
            String what = c.reloadTlsIfChanged();
            if (what != null) {
                LoggerFactory.getLogger(ProxyServer.class).info("{}", what);
            }
        }
    }

    /** Reloads the configuration (SIGHUP); null on success, else why the running one was kept. */
    public String reload() {
        return reloads.run().join();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public String transportName() {
        return transport.name();
    }

    /**
     * Graceful stop (SIGTERM): stop accepting and report not ready, let scrapes under way finish for at most
     * {@code grace} (each connection is closed after its answer), then close everything. Returns the scrapes that
     * were still running when the grace ran out.
     */
    public int shutdown(Duration grace) {
        serving.serving(false);
        serving.drain();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (metrics.scrapesInFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = metrics.scrapesInFlight();
        close();
        return cut;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closing twice (a shutdown, then try-with-resources) is one close
        }
        serving.serving(false);
        if (fileSd != null) {
            fileSd.close();
        }
        sdBuilder.shutdownNow();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        live.clusters().close();
        if (reloader != null) {
            reloader.close();
        }
        settleLoops();
        shutdownGroups();
        passwords.close();
        metrics.close();
    }

    /**
     * Lets each event loop finish closing the pools' connections before it stops: the close runs as a task, and on
     * io_uring it completes only when the loop has seen its cancelled reads come back, then deregisters with one more
     * task. A loop stopped in between refuses that task with a warning per connection. Two rounds through every loop
     * cover both steps; each wait is bounded, so a stuck loop cannot hold the stop.
     */
    private void settleLoops() {
        for (int round = 0; round < 2; round++) {
            for (EventExecutor loop : workers) {
                loop.submit(() -> { }).awaitUninterruptibly(500, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void shutdownGroups() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        flights.close();
    }
}
