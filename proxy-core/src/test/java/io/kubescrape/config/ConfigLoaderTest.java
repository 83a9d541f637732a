package io.kubescrape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final TestPki PKI = new TestPki("test-ca");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void loadsClustersWithLayeredSettings() throws Exception {
        write("ca.crt", PKI.caPem());
        write("token", "s3cret\n");
        Path cfg = write("kubescrape.yaml", """
                listen: 0.0.0.0:9000
                cluster_defaults:
                  scrape: {port: 9102, path: /metrics}
                  upstream: {max_connections: 16, connect_timeout: 2s}
                clusters:
                  - name: prod
                    server: https://10.0.0.1:6443
                    certificate_authority: ca.crt
                    token_file: token
                    scrape: {port_name: http-metrics}
                    upstream: {max_scrape_timeout: 10s}
                  - name: dev
                    server: https://dev.example:443/k8s/clusters/c-1/
                    insecure_skip_tls_verify: true
                    token: abc
                """);
        ProxyConfig c = new ConfigLoader().load(cfg, List.of(), null);
        assertThat(c.listen()).isEqualTo(new ListenAddress("0.0.0.0", 9000));
        ClusterSpec prod = c.cluster("prod").orElseThrow();
        assertThat(prod.scrape().portName()).isEqualTo("http-metrics");
        assertThat(prod.scrape().port()).isEqualTo(9102);
        assertThat(prod.scrape().scheme()).isEqualTo("http");
        assertThat(prod.upstream().maxConnections()).isEqualTo(16);
        assertThat(prod.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(prod.upstream().maxScrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(prod.upstream().acquireTimeout()).isEqualTo(UpstreamSettings.BUILTIN.acquireTimeout());
        assertThat(prod.credential().tokenFile()).isEqualTo(dir.resolve("token"));
        assertThat(prod.tls().ca().file()).isEqualTo(dir.resolve("ca.crt"));
        ClusterSpec dev = c.cluster("dev").orElseThrow();
        assertThat(dev.pathPrefix()).isEqualTo("/k8s/clusters/c-1");
        assertThat(c.warnings()).anyMatch(w -> w.startsWith("INSECURE") && w.contains("dev"));
        assertThat(c.toString()).doesNotContain("abc").doesNotContain("s3cret");
    }

    @Test
    void unknownKeysNameFileKeyAndLine() throws Exception {
        Path cfg = write("bad.yaml", """
                clusters:
                  - name: prod
                    server: https://10.0.0.1:6443
                    upstream:
                      max_conections: 5
                """);
        assertThatThrownBy(() -> new ConfigLoader().load(cfg, List.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("clusters[0].upstream")
                .hasMessageContaining("unknown key \"max_conections\"")
                .hasMessageContaining("max_connections")
                .hasMessageContaining("line 5");
    }

    @Test
    void badValuesAreRejectedWithTheReason() throws Exception {
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    upstream: {connect_timeout: 5}\n",
                "connect_timeout", "unit");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    upstream: {idle_timeout: 1x}\n",
                "idle_timeout", "not a duration");
        assertRejected("clusters:\n  - name: p\n    server: ftp://a\n", "clusters[0]", "https://");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    scrape: {scheme: gopher}\n",
                "scrape", "http or https");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    scrape: {path: /../secrets}\n",
                "scrape", "dot segment");
        assertRejected("clusters:\n  - name: 'a b'\n    server: https://a\n", "clusters[0]", "cluster name");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    token: x\n    token_file: y\n",
                "clusters[0]", "not several");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    certificate_authority: nope.crt\n",
                "certificate_authority", "cannot be read");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n  - name: p\n    server: https://b\n",
                "\"p\"", "used twice");
        assertRejected("listen: nonsense\nclusters:\n  - name: p\n    server: https://a\n", "listen", "HOST:PORT");
        assertRejected("clusters: [\n", "not valid YAML", "line");
        assertRejected("clusters: []\n", "no usable cluster", "");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    upstream: {protocol: h3}\n", "protocol",
                "http1, http2 or auto");
        assertRejected("clusters:\n  - name: p\n    server: https://a\n    upstream: {max_streams_per_connection: 0}\n",
                "max_streams_per_connection", "1-10000");
    }

    @Test
    void upstreamProtocolDefaultsToHttp1AndCanBeHttp2PerCluster() throws Exception {
        Path cfg = write("c.yaml", "clusters:\n  - name: a\n    server: https://a\n  - name: b\n    server: https://b\n"
                + "    upstream: {protocol: http2, max_streams_per_connection: 250}\n");
        ProxyConfig c = new ConfigLoader().load(cfg, List.of(), null);
        assertThat(c.clusters().get(0).upstream().http2()).isFalse();
        assertThat(c.clusters().get(1).upstream().http2()).isTrue();
        assertThat(c.clusters().get(1).upstream().maxStreamsPerConnection()).isEqualTo(250);
    }

    private void assertRejected(String yaml, String key, String reason) throws Exception {
        Path cfg = write("c.yaml", yaml);
        assertThatThrownBy(() -> new ConfigLoader().load(cfg, List.of(), null)).as(yaml)
                .isInstanceOf(ConfigException.class).hasMessageContaining("c.yaml").hasMessageContaining(key)
                .hasMessageContaining(reason);
    }

    @Test
    void listenFlagOverridesFile() throws Exception {
        Path cfg = write("c.yaml", "listen: 0.0.0.0:1\nclusters:\n  - name: p\n    server: https://a\n");
        assertThat(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0").listen().port()).isZero();
    }

    @Test
    void importsKubeconfigsNamedInTheConfig() throws Exception {
        new Kubeconfigs().context("kind-a", "https://127.0.0.1:6443", PKI.caPem(), Kubeconfigs.token("t1"))
                .context("kind-b", "https://127.0.0.1:6444", PKI.caPem(), Kubeconfigs.token("t2"))
                .write(dir.resolve("kube.yaml"));
        Path cfg = write("c.yaml", "kubeconfigs:\n  - path: kube.yaml\n    contexts: [kind-b]\n"
                + "cluster_defaults:\n  upstream: {max_connections: 3}\n");
        ProxyConfig c = new ConfigLoader().load(cfg, List.of(), null);
        assertThat(c.clusters()).extracting(ClusterSpec::name).containsExactly("kind-b");
        assertThat(c.clusters().get(0).upstream().maxConnections()).isEqualTo(3);
        Path missing = write("m.yaml", "kubeconfigs:\n  - path: kube.yaml\n    contexts: [nope]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(missing, List.of(), null))
                .hasMessageContaining("has no context \"nope\"");
    }
}
