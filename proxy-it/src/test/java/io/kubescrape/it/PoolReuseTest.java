package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes reuse pooled TLS connections: a hundred scrapes cost a handshake or two, and one pod GET. */
class PoolReuseTest {
    @Test
    void hundredScrapesReuseOneConnection(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("pool-ca");
        try (StreamingApiServer api = new StreamingApiServer(Harness.serverTls(pki), "t", 2048)) {
            Path kubeconfig = new Kubeconfigs().context("c", api.url(), pki.caPem(), Kubeconfigs.token("t"))
                    .write(dir.resolve("kubeconfig"));
            try (Harness.Running ks = Harness.startWithoutDiscovery(kubeconfig)) {
                for (int i = 0; i < 100; i++) {
                    var r = Harness.get(ks.url() + "/clusters/c/ns/default/pods/web-0/metrics");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).hasSize(2048);
                }
                String metrics = Harness.get(ks.url() + "/metrics").body();
                long handshakes = Math.round(value(metrics,
                        "kubescrape_upstream_tls_handshakes_total\\{cluster=\"c\",result=\"success\"\\} (\\S+)"));
                System.out.printf("[measure] TLS handshakes per 100 scrapes: %d (upstream connections: %d, pod GETs: %d)%n",
                        handshakes, api.connections.get(), api.podGets.get());
                assertThat(handshakes).isEqualTo(1L);
                assertThat(api.connections.get()).isEqualTo(1);
                assertThat(api.podGets.get()).as("pod specs are cached").isEqualTo(1);
                assertThat(api.proxyGets.get()).isEqualTo(100);
                assertThat(metrics).contains("kubescrape_scrape_duration_seconds_count{cluster=\"c\",outcome=\"success\",role=\"pod\",shared=\"no\"} 100");
            }
        }
    }

    private static double value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
