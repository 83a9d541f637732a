package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client certificate swapped on disk takes effect without a restart: new connections present the new one. */
class TlsReloadTest {
    @Test
    void aSwappedClientCertificateIsUsedWithoutRestart(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(5, 0, false)) {
            // Both certificates come from kube-sim's own CA, which it trusts for client certificates.
            write(dir, "client", sim, "kubescrape-a");
            Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
                    users: [{name: u, user: {client-certificate: client.crt, client-key: client.key}}]
                    contexts: [{name: certs, context: {cluster: c, user: u}}]
                    """.formatted(sim.url(), TestPki.base64(sim.caPem())));
            try (Harness.Running ks = Harness.startWithoutDiscovery(dir.resolve("kubeconfig"))) {
                String url = ks.url() + "/clusters/certs/ns/default/pods/web-0/metrics";
                assertThat(Harness.get(url).statusCode()).isEqualTo(200);
                assertThat(sim.lastClientCn()).isEqualTo("kubescrape-a");

                write(dir, "client", sim, "kubescrape-b");
                long deadline = System.nanoTime() + 15_000_000_000L;
                int failed = 0;
                while (!"kubescrape-b".equals(sim.lastClientCn()) && System.nanoTime() < deadline) {
                    failed += Harness.get(url).statusCode() == 200 ? 0 : 1;
                    Thread.sleep(250);
                }
                assertThat(sim.lastClientCn()).as("new connections present the new certificate").isEqualTo("kubescrape-b");
                assertThat(failed).as("no scrape failed during the swap").isZero();
            }
        }
    }

    /** Writes a client certificate and key issued by kube-sim's CA, replacing the files atomically. */
    private static void write(Path dir, String name, KubeSimServer sim, String cn) throws Exception {
        TestPki.Issued cert = sim.issueClientCertificate(cn);
        Path crt = Files.writeString(dir.resolve(name + ".crt.tmp"), cert.certificatePem());
        Path key = Files.writeString(dir.resolve(name + ".key.tmp"), cert.keyPem(TestPki.KeyFormat.PKCS8));
        Files.move(key, dir.resolve(name + ".key"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(crt, dir.resolve(name + ".crt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
