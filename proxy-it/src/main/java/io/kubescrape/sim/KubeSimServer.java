package io.kubescrape.sim;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import io.kubescrape.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The simulated cluster: an HTTPS API server over its pods and nodes, with the CA and the two kubeconfig contexts
 * (bearer token and client certificate) that reach it. Usable in-process by tests and from {@link KubeSimMain}.
 */
public final class KubeSimServer implements AutoCloseable {
    private final SimOptions options;
    private final TestPki pki;
    private final AtomicLong versions = new AtomicLong(1000);
    private final ObjectStore<SimPod> store = new ObjectStore<>(SimKind.POD, versions);
    private final ObjectStore<SimNode> nodes = new ObjectStore<>(SimKind.NODE, versions);
    private final ObjectStore<SimService> services = new ObjectStore<>(SimKind.SERVICE, versions);
    private final ObjectStore<SimEndpointSlice> slices = new ObjectStore<>(SimKind.ENDPOINTSLICE, versions);
    private final NodeProxy nodeProxy;
    private final PodProxy proxy;
    private final BackendProxy backend;
    private final EventLoopGroup group;
    private final Channel channel;
    private final String url;
    private final SimHandler handler;
    private final SimConnections connections = new SimConnections();
    private final AtomicInteger openStreams = new AtomicInteger();

    public KubeSimServer(SimOptions o) throws Exception {
        this.options = o;
        this.pki = o.caDir() == null ? new TestPki("kube-sim-ca") : TestPki.inDirectory(o.caDir(), "kube-sim-ca");
        Transport transport = Transport.detect(true);
        int threads = Runtime.getRuntime().availableProcessors();
        group = transport.newGroup(threads, "kube-sim");
        for (int n = 1; n <= o.nodes(); n++) {
            nodes.add(NodeFactory.regular(n, nodes.nextResourceVersion()));
        }
        for (int i = 0; i < o.pods(); i++) {
            store.add(PodFactory.regular(i, o.namespaces(), o.nodes(), store.nextResourceVersion(), o.labelsOf(i)));
        }
        if (o.faultPods()) {
            for (SimPod p : PodFactory.faults(o.nodes(), store.resourceVersion() + 1)) {
                store.nextResourceVersion();
                store.add(p);
            }
            NodeFactory.faults(nodes::nextResourceVersion).forEach(nodes::add);
        }
        if (o.aggregateFixtures()) {
            PodFactory.aggregateFixtures(o.nodes(), store::nextResourceVersion).forEach(store::add);
        }
        new SimServices(store, services, slices);
        backend = o.backend() == null ? null : new BackendProxy(o.backend(), transport.socketChannel(), threads);
        proxy = new PodProxy(store, new MetricsBodies(o.metricsBytes()), backend, o.slowMillis(), connections);
        nodeProxy = new NodeProxy(nodes, store, o.slowMillis(), connections);
        handler = new SimHandler(o.token(), new SimHandler.Stores(store, nodes, services, slices), proxy, nodeProxy);
        TestPki.Issued cert = pki.server(TestPki.KeyType.EC, o.tlsSans().toArray(String[]::new));
        SslContext ssl = SslContextBuilder.forServer(cert.key(), cert.certificate())
                .trustManager(pki.ca().certificate()).clientAuth(ClientAuth.OPTIONAL)
                .applicationProtocolConfig(HttpProtocols.ALPN).build();
        channel = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(connections, ssl.newHandler(ch.alloc()), new HttpProtocols(
                                () -> new ChannelHandler[] {new HttpObjectAggregator(64 * 1024), handler}, openStreams));
                    }
                }).bind(o.host(), o.port()).sync().channel();
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        url = o.serverUrl() != null ? o.serverUrl()
                : "https://" + (o.host().contains(":") ? "[" + o.host() + "]" : o.host()) + ":" + bound;
        if (o.churnPerMinute() > 0) {
            new Churn(store, proxy, o).start(group.next(), o.churnPerMinute());
        }
    }

    public String url() {
        return url;
    }

    /** The CA that signed the server certificate, PEM. */
    public String caPem() {
        return pki.caPem();
    }

    public int podCount() {
        return store.all().size();
    }

    /** Regular and fault pods as namespace/name, in key order. */
    public List<String> podKeys() {
        return store.all().stream().map(SimPod::key).toList();
    }

    /** Scrapes each pod received, keyed namespace/name. */
    public Map<String, Long> scrapes() {
        Map<String, Long> out = new TreeMap<>();
        proxy.scrapes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Client connections open now (what the API server sees of its callers' pools). */
    public int openConnections() {
        return connections.openNow();
    }

    /** HTTP/2 streams open now (requests under way, watches included); 0 with HTTP/1.1 clients. */
    public int openStreams() {
        return openStreams.get();
    }

    /** Pod watches open now, from every client. */
    public int openWatches() {
        return store.openWatches() + nodes.openWatches() + services.openWatches() + slices.openWatches();
    }

    /** Pod lists (pages) served since the start. */
    public long listRequests() {
        return handler.podLists();
    }

    /** Nodes, regular and fault, by name. */
    public List<String> nodeNames() {
        return nodes.all().stream().map(SimNode::name).toList();
    }

    /** Services, every namespace's. */
    public int serviceCount() {
        return services.all().size();
    }

    /** Node-proxy requests received, keyed "node path" (the path as sent, query included). */
    public Map<String, Long> kubeletRequests() {
        return nodeProxy.requests();
    }

    /** Node-proxy requests refused because they asked for anything but a metrics endpoint. */
    public long refusedKubeletRequests() {
        return nodeProxy.refused.sum();
    }

    /** Client connections accepted since the start. */
    public long acceptedConnections() {
        return connections.accepted();
    }

    /** Test hook: closes every client connection now, idle or busy. */
    public void closeAllConnections() {
        connections.closeAll();
    }

    /** Test hook: the next n pod-proxy requests are not answered: their connection is closed instead. */
    public void dropNextProxyRequests(int n) {
        connections.dropNextProxyRequests(n);
    }

    /** Pod-proxy requests dropped so far by {@link #dropNextProxyRequests(int)}. */
    public long droppedProxyRequests() {
        return connections.dropped();
    }

    /** Test hook: deletes a pod now; false if there was none. */
    public boolean deletePod(String key) {
        SimPod pod = store.delete(key);
        if (pod != null) {
            proxy.forget(pod);
        }
        return pod != null;
    }

    /** Test hook: adds the regular pod with this index (its name follows from it, e.g. 1000 is web-200). */
    public String addPod(int index) {
        return addPod(index, Map.of());
    }

    /** Test hook: as {@link #addPod(int)}, with extra labels of any content. */
    public String addPod(int index, Map<String, String> labels) {
        SimPod pod = PodFactory.regular(index, options.namespaces(), options.nodes(), store.nextResourceVersion(),
                labels);
        store.add(pod);
        return pod.key();
    }

    /** Test hook: a pod with any namespace and name, as a faulty API server (or a proxy in front of one) may send. */
    public String addMisnamedPod(int index, String namespace, String name) {
        SimPod pod = PodFactory.misnamed(index, namespace, name, options.nodes(), store.nextResourceVersion());
        store.add(pod);
        return pod.key();
    }

    /** A client certificate signed by this cluster's CA (as a cluster admin would issue one). */
    public TestPki.Issued issueClientCertificate(String cn) {
        return pki.client(TestPki.KeyType.EC, cn);
    }

    /** The CN of the client certificate the last authenticated request carried, or null. */
    public String lastClientCn() {
        return handler.lastClientCn;
    }

    /** Test hook: adds regular node {@code index} (named node-index; it carries no pods). */
    public String addNode(int index) {
        SimNode node = NodeFactory.regular(index, nodes.nextResourceVersion());
        nodes.add(node);
        return node.name();
    }

    /** Test hook: deletes a node now; false if there was none. */
    public boolean deleteNode(String name) {
        return nodes.delete(name) != null;
    }

    /** Test hook: lists and watches of this resource ("nodes") are refused 403 from now on, or again allowed. */
    public void forbidLists(String resource, boolean forbidden) {
        if (forbidden) {
            handler.forbidden.add(resource);
        } else {
            handler.forbidden.remove(resource);
        }
    }

    /** Test hook: the bearer tokens accepted from now on (client certificates stay accepted). */
    public void acceptTokens(Predicate<String> accepted) {
        handler.acceptTokens(accepted);
    }

    /** Test hook: pauses (or resumes) delivering changes to open watches. */
    public void pauseWatches(boolean paused) {
        for (ObjectStore<?> s : List.of(store, nodes, services, slices)) {
            s.pause(paused);
        }
    }

    /** Test hook: ends every open watch (as a load balancer cutting long requests does); history is kept. */
    public void disconnectWatches() {
        for (ObjectStore<?> s : List.of(store, nodes, services, slices)) {
            s.disconnectWatchers();
        }
    }

    /** Test hook: forgets the event history (a resume gets 410) and ends every open watch. */
    public void expireAndDisconnectWatches() {
        for (ObjectStore<?> s : List.of(store, nodes, services, slices)) {
            s.expireHistory();
            s.disconnectWatchers();
        }
    }

    /** Writes a kubeconfig with contexts "kube-sim" (bearer token) and "kube-sim-mtls" (client certificate). */
    public Path writeKubeconfig(Path file) throws Exception {
        TestPki.Issued client = pki.client(TestPki.KeyType.EC, "kubescrape");
        return new Kubeconfigs().context("kube-sim", url, pki.caPem(), Kubeconfigs.token(options.token()))
                .context("kube-sim-mtls", url, pki.caPem(), Kubeconfigs.clientCert(client, TestPki.KeyFormat.TRADITIONAL))
                .write(file);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // Like a process that exits: every client connection is closed now, not left to the loops' shutdown
        // (seen leaving a pooled connection open and unanswered, so a test's scrape hung instead of failing fast).
        connections.closeAll();
        if (backend != null) {
            backend.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
