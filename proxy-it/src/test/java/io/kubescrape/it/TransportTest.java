package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import io.kubescrape.transport.Transport;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transport kubescrape may pick scrapes alike: bodies whole, keep-alive both ways, one pooled TLS connection
 * upstream. The rest of the suite runs on the default (io_uring here); this keeps epoll and NIO, the fallbacks
 * where io_uring is switched off, exercised too.
 */
class TransportTest {
    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void scrapesOverEachTransport(String name, @TempDir Path dir) throws Exception {
        Transport transport = Transport.choose(name); // all three run on the CI machine; elsewhere this says why not
        TestPki pki = new TestPki("transport-ca");
        try (StreamingApiServer api = new StreamingApiServer(Harness.serverTls(pki), "t", 300_000)) {
            Path kubeconfig = new Kubeconfigs().context("c", api.url(), pki.caPem(), Kubeconfigs.token("t"))
                    .write(dir.resolve("kubeconfig"));
            try (Harness.Running ks = Harness.startWithoutDiscovery(kubeconfig, transport)) {
                for (int i = 0; i < 30; i++) {
                    var r = Harness.get(ks.url() + "/clusters/c/ns/default/pods/web-0/metrics");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).hasSize(300_000);
                }
                assertThat(api.connections.get()).as("one pooled upstream connection").isEqualTo(1);
                assertThat(api.proxyGets.get()).isEqualTo(30);
            }
        }
    }
}
