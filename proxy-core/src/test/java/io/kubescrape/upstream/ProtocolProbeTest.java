package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.cluster.UpstreamTls;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.testing.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code upstream.protocol: auto}'s probe over real TLS on Netty's local transport: offered h2 and http/1.1, a
 * server that speaks h2 picks it, one that speaks only HTTP/1.1 (or knows no ALPN) is taken at its word.
 */
class ProtocolProbeTest {
    private static final TestPki PKI = new TestPki("probe-ca");
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A TLS server that offers {@code protocols} in ALPN (none: no ALPN at all). */
    private LocalAddress server(String... protocols) throws Exception {
        TestPki.Issued cert = PKI.server(TestPki.KeyType.EC);
        SslContextBuilder b = SslContextBuilder.forServer(cert.key(), cert.certificate());
        if (protocols.length > 0) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
        }
        SslContext tls = b.build();
        LocalAddress address = new LocalAddress("probe-" + UUID.randomUUID());
        new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                }).bind(address).sync();
        return address;
    }

    private static ClusterSpec autoSpec() {
        UpstreamSettings u = new UpstreamSettings(4, 8, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMinutes(1), null, null, null, null, null, null, UpstreamSettings.AUTO, null)
                .orElse(UpstreamSettings.BUILTIN);
        return new ClusterSpec("probed", URI.create("https://localhost:6443"), "test",
                new TlsSettings(null, true, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, u,
                DiscoverySettings.OFF);
    }

    private Boolean probe(LocalAddress address) throws Exception {
        ClusterSpec spec = autoSpec();
        return ProtocolProbe.picksHttp2(group.next(), spec, UpstreamTls.clientContext(spec), LocalChannel.class,
                address).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aServerThatSpeaksHttp2PicksIt() throws Exception {
        assertThat(probe(server(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))).isTrue();
    }

    @Test
    void aServerOfHttp11OnlyOrWithoutAlpnIsTakenAtItsWord() throws Exception {
        assertThat(probe(server(ApplicationProtocolNames.HTTP_1_1))).isFalse();
        assertThat(probe(server())).isFalse();
    }

    @Test
    void noServerIsAConnectFailureNamingTheCluster() {
        assertThatThrownBy(() -> probe(new LocalAddress("nobody-" + UUID.randomUUID())))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("probed");
    }
}
