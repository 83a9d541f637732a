package io.kubescrape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.cluster.UpstreamTls;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import io.kubescrape.testing.TestPki.KeyFormat;
import io.kubescrape.testing.TestPki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeconfigImporterTest {
    private static final TestPki PKI = new TestPki("kube-ca");

    @TempDir
    Path dir;

    private List<ClusterSpec> load(Path file, List<String> warnings) throws ConfigException {
        return KubeconfigImporter.importFile(file, null, null, null, null, warnings);
    }

    @Test
    void everyContextBecomesAClusterNamedAfterIt() throws Exception {
        Path k = new Kubeconfigs()
                .context("prod", "https://10.1.0.1:6443", PKI.caPem(), Kubeconfigs.token("abc"))
                .context("arn:aws:eks:eu-west-1:1:cluster/dev", "https://eks.example", null,
                        "    tokenFile: token.txt")
                .write(dir.resolve("config"));
        Files.writeString(dir.resolve("token.txt"), "file-token");
        List<String> warnings = new ArrayList<>();
        List<ClusterSpec> clusters = load(k, warnings);
        assertThat(clusters).extracting(ClusterSpec::name)
                .containsExactly("prod", "arn-aws-eks-eu-west-1-1-cluster-dev");
        assertThat(clusters.get(0).credential().token()).isEqualTo("abc");
        assertThat(clusters.get(0).tls().ca()).isNotNull();
        assertThat(clusters.get(1).credential().tokenFile()).isEqualTo(dir.resolve("token.txt"));
        assertThat(clusters.get(1).tls().ca()).isNull();
        assertThat(warnings).anyMatch(w -> w.contains("arn-aws-eks-eu-west-1-1-cluster-dev"));
    }

    @ParameterizedTest
    @CsvSource({"RSA,TRADITIONAL", "RSA,PKCS8", "EC,TRADITIONAL", "EC,PKCS8"})
    void clientCertificatesInEveryKeyFormBuildATlsContext(KeyType type, KeyFormat format) throws Exception {
        TestPki.Issued client = PKI.client(type, "kubescrape");
        String keyPem = client.keyPem(format);
        assertThat(keyPem).contains(format == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY"
                : type == KeyType.RSA ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
        Path k = new Kubeconfigs().context("m", "https://127.0.0.1:6443", PKI.caPem(),
                Kubeconfigs.clientCert(client, format)).write(dir.resolve("config"));
        ClusterSpec spec = load(k, new ArrayList<>()).get(0);
        assertThat(spec.tls().mutual()).isTrue();
        assertThat(UpstreamTls.clientContext(spec).isClient()).isTrue();
    }

    @Test
    void clientCertificateFilesResolveAgainstTheKubeconfigsFolder() throws Exception {
        TestPki.Issued client = PKI.client(KeyType.EC, "kubescrape");
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/client.crt"), client.certificatePem());
        Files.writeString(dir.resolve("certs/client.key"), client.keyPem(KeyFormat.TRADITIONAL));
        Files.writeString(dir.resolve("certs/ca.crt"), PKI.caPem());
        Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority: certs/ca.crt}
                users:
                - name: u
                  user: {client-certificate: certs/client.crt, client-key: certs/client.key}
                contexts:
                - name: files
                  context: {cluster: c, user: u}
                """);
        ClusterSpec spec = load(dir.resolve("config"), new ArrayList<>()).get(0);
        assertThat(spec.tls().clientKey().file()).isEqualTo(dir.resolve("certs/client.key"));
        assertThat(UpstreamTls.clientContext(spec)).isNotNull();
    }

    @Test
    void unusableContextsAreSkippedWithAReason() throws Exception {
        Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443"}
                users:
                - name: eks
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
                - name: ok
                  user: {token: t}
                contexts:
                - name: with-exec
                  context: {cluster: c, user: eks}
                - name: dangling
                  context: {cluster: missing, user: ok}
                - name: good
                  context: {cluster: c, user: ok}
                """);
        List<String> warnings = new ArrayList<>();
        List<ClusterSpec> clusters = load(dir.resolve("config"), warnings);
        assertThat(clusters).extracting(ClusterSpec::name).containsExactly("with-exec", "good");
        assertThat(clusters.get(0).credential().exec().command()).as("exec plugins are run, not skipped")
                .isEqualTo("aws");
        assertThat(warnings).anyMatch(w -> w.contains("dangling") && w.contains("missing"));
    }

    @Test
    void brokenMaterialIsReportedWithItsOrigin() throws Exception {
        Path k = new Kubeconfigs().context("bad", "https://127.0.0.1:6443", null,
                "    client-certificate-data: " + TestPki.base64("not a pem"),
                "    client-key-data: " + TestPki.base64("nope")).write(dir.resolve("config"));
        assertThatThrownBy(() -> KubeconfigImporter.importFile(k, List.of("bad"), null, null, null, new ArrayList<>()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("context \"bad\"")
                .hasMessageContaining("client-certificate-data");
    }

    @Test
    void defaultLocationFollowsKubectl() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "x");
        assertThat(KubeconfigLocator.defaults(a + ":" + dir.resolve("missing"), "/nonexistent")).containsExactly(a);
        assertThatThrownBy(() -> KubeconfigLocator.defaults(null, dir.toString()))
                .hasMessageContaining(".kube/config");
    }
}
