package io.kubescrape.server.connection;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.cluster.TokenSource;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.sd.ServiceDiscovery;
import io.kubescrape.server.admin.AdminRoutes;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.http.HostCheck;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.share.Flights;
import io.kubescrape.server.state.Addresses;
import io.kubescrape.server.state.LiveConfig;
import io.kubescrape.server.state.Reloads;
import io.kubescrape.server.state.Serving;
import io.kubescrape.upstream.ClusterPools;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamHandler;
import io.kubescrape.upstream.UpstreamLink;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A downstream connection handler wired to a cluster whose upstream channels are EmbeddedChannels: the test
 * plays the API server by writing responses into them, and counts the reads the relay asks for.
 */
final class RelayFixture implements UpstreamChannelPool {
    final ProxyMetrics metrics = new ProxyMetrics();
    final List<EmbeddedChannel> upstreams = new ArrayList<>();
    final List<Boolean> freshFlags = new ArrayList<>();
    final List<Channel> released = new ArrayList<>();
    final List<Channel> discarded = new ArrayList<>();
    final EmbeddedChannel downstream;
    int reads;

    RelayFixture() throws Exception {
        this(ScrapeSettings.BUILTIN);
    }

    RelayFixture(ScrapeSettings scrape) throws Exception {
        this(scrape, DiscoverySettings.OFF, List.of());
    }

    /** A cluster whose discovery knows {@code discovered} (no watch runs: the test is the API server). */
    static RelayFixture discovering(List<PodInfo> discovered) throws Exception {
        return new RelayFixture(ScrapeSettings.BUILTIN, DiscoverySettings.BUILTIN, discovered);
    }

    private RelayFixture(ScrapeSettings scrape, DiscoverySettings discovery, List<PodInfo> discovered) throws Exception {
        ClusterSpec spec = new ClusterSpec("prod", URI.create("https://api.test:6443"), "test",
                new TlsSettings(null, false, null, null, null), new CredentialSpec("tok", null),
                scrape, UpstreamSettings.BUILTIN, discovery);
        Cluster cluster = new Cluster(spec, TokenSource.of(spec.credential(), "prod"), ClusterPools.of(loop -> this),
                null, metrics.cluster("prod"));
        cluster.pods().put(new PodInfo("web", "web-0", "1", Map.of("app", "web"), Map.of(),
                List.of(new ContainerPort("app", "metrics", 9100, "TCP")), "Running", "10.0.0.9", "n1", true));
        if (cluster.discovered() != null) {
            Map<String, PodInfo> known = new HashMap<>();
            discovered.forEach(p -> known.put(p.namespace() + "/" + p.name(), p));
            cluster.discovered().replaceScope("", known);
        }
        LiveConfig live = new LiveConfig(ClusterRegistry.of(List.of(cluster)), Callers.none());
        ServiceDiscovery sd = new ServiceDiscovery(live::clusters);
        LastScrapes lastScrapes = new LastScrapes();
        Serving serving = new Serving();
        serving.serving(true);
        SharedByConnections shared = new SharedByConnections(live, lastScrapes, serving, Reloads.NONE,
                new AdminRoutes(live, metrics, sd, serving, new Addresses(null), lastScrapes), HostCheck.ANY,
                new Flights());
        downstream = new EmbeddedChannel(new DownstreamHandler(shared, 10_000, TimeUnit.MINUTES.toNanos(5)));
    }

    EmbeddedChannel upstream() {
        return upstreams.get(upstreams.size() - 1);
    }

    void downstreamWritable(boolean writable) {
        downstream.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        downstream.runPendingTasks();
    }

    long scrapes(String outcome) {
        var t = metrics.registry().find("kubescrape.scrape.duration").tag("outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Override
    public Future<UpstreamLink> acquire(boolean fresh) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads++;
                ctx.read();
            }
        }, new UpstreamHandler());
        ch.config().setAutoRead(false); // as real upstream channels: only the relay's reads count
        reads = 0; // EmbeddedChannel reads once on registration
        upstreams.add(ch);
        freshFlags.add(fresh);
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(UpstreamHandler.of(ch));
    }

    @Override
    public void release(UpstreamLink link) {
        UpstreamHandler handler = (UpstreamHandler) link;
        handler.detach();
        released.add(handler.channel());
    }

    @Override
    public void discard(UpstreamLink link) {
        UpstreamHandler handler = (UpstreamHandler) link;
        handler.detach();
        discarded.add(handler.channel());
        handler.channel().close();
    }
}
