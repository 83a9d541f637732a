package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar under -Xmx64m relays a 1 GB body intact, for a bearer-token and an mTLS cluster: the body
 * streams, it is never held. A body cut short upstream never reaches the scraper as complete.
 */
class LargeBodyRelayTest {
    private static final long BODY = 1024L * 1024 * 1024;
    private static final TestPki PKI = new TestPki("large-body-ca");
    private static StreamingApiServer api;
    private static KubescrapeProcess kubescrape;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        api = new StreamingApiServer(Harness.serverTls(PKI), "bearer-secret", BODY);
        TestPki.Issued client = PKI.client(TestPki.KeyType.RSA, "kubescrape");
        Path kubeconfig = new Kubeconfigs()
                .context("bearer", api.url(), PKI.caPem(), Kubeconfigs.token("bearer-secret"))
                .context("mtls", api.url(), PKI.caPem(), Kubeconfigs.clientCert(client, TestPki.KeyFormat.TRADITIONAL))
                .write(dir.resolve("kubeconfig"));
        // A gigabyte may take longer than the default 30 s cap on a scrape on a busy CI machine.
        Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig
                + "}]\ncluster_defaults: {discovery: {enabled: false}, upstream: {max_scrape_timeout: 5m}}\n");
        kubescrape = new KubescrapeProcess(List.of("-Xmx64m"), "--config", cfg.toString(), "--listen", "127.0.0.1:0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (kubescrape != null) {
            assertThat(kubescrape.stop()).as("exit code after SIGTERM").isZero();
            assertThat(kubescrape.log()).noneMatch(l -> l.contains("bearer-secret"));
            assertThat(kubescrape.log()).noneMatch(l -> l.contains("OutOfMemoryError"));
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void relaysOneGigabyteIntactWithBearerToken() throws Exception {
        relayIntact("bearer");
    }

    @Test
    void relaysOneGigabyteIntactWithClientCertificate() throws Exception {
        relayIntact("mtls");
    }

    private static void relayIntact(String cluster) throws Exception {
        long t0 = System.nanoTime();
        Harness.Digest d = Harness.digest(kubescrape.url() + "/clusters/" + cluster + "/ns/default/pods/big-0/metrics");
        double secs = (System.nanoTime() - t0) / 1e9;
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.bytes()).isEqualTo(BODY);
        assertThat(d.sha256()).isEqualTo(StreamingApiServer.expectedDigest(BODY));
        System.out.printf("[measure] %s: relayed %d MB under -Xmx64m in %.2f s (%.0f MB/s)%n", cluster,
                BODY >> 20, secs, (BODY >> 20) / secs);
    }

    @Test
    void aBodyCutShortUpstreamFailsTheScrape() {
        assertThatThrownBy(() -> Harness.digest(kubescrape.url() + "/clusters/bearer/ns/default/pods/cut-0/metrics"))
                .isInstanceOf(IOException.class);
    }
}
