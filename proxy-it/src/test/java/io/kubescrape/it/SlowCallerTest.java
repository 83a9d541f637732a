package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller reading a 512 MB body at 1 KB/s through the real jar (-Xmx64m, 64 MB of direct memory): back-pressure
 * holds the API server back instead of buffering, kubescrape's memory stays flat, and scrapes of other pods
 * meanwhile are as fast as ever. When the slow caller leaves, the upstream stream is closed.
 */
class SlowCallerTest {
    private static final long BODY = 512L * 1024 * 1024;

    @Test
    void aSlowCallerIsHeldByBackPressureAndSlowsNoOtherScrape(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("slow-caller-ca");
        try (StreamingApiServer api = new StreamingApiServer(Harness.serverTls(pki), "big-token", BODY);
             KubeSimServer sim = Sims.start(25, 0, false)) {
            Path kubeconfig = new Kubeconfigs().context("big", api.url(), pki.caPem(), Kubeconfigs.token("big-token"))
                    .context("kube-sim", sim.url(), sim.caPem(), Kubeconfigs.token(Sims.TOKEN))
                    .write(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig + "}]\n"
                    + "cluster_defaults: {discovery: {enabled: false}}\n");
            try (KubescrapeProcess kubescrape = new KubescrapeProcess(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m"),
                    "--config", cfg.toString(), "--listen", "127.0.0.1:0")) {
                URI base = URI.create(kubescrape.url());
                try (Socket slow = new Socket()) {
                    slow.setReceiveBufferSize(4096);
                    slow.connect(new InetSocketAddress(base.getHost(), base.getPort()));
                    slow.getOutputStream().write(("GET /clusters/big/ns/default/pods/big-0/metrics HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = slow.getInputStream();
                    byte[] kb = new byte[1024];
                    long[] latencies = new long[100];
                    int other = 0;
                    long readSlowly = 0;
                    long end = System.nanoTime() + 10_000_000_000L;
                    while (System.nanoTime() < end) {
                        readSlowly += Math.max(0, in.read(kb));          // 1 KB a second
                        long second = System.nanoTime() + 1_000_000_000L;
                        while (System.nanoTime() < second) {
                            if (other < latencies.length) {          // meanwhile, ordinary scrapes
                                long t0 = System.nanoTime();
                                assertThat(Harness.get(kubescrape.url() + "/clusters/kube-sim/ns/default/pods/web-"
                                        + (other % 3) * 2 + "/metrics").statusCode()).isEqualTo(200);
                                latencies[other++] = (System.nanoTime() - t0) / 1_000_000;
                            } else {
                                Thread.sleep(50);
                            }
                        }
                    }
                    long sent = api.bodyBytesSent.get();
                    String m = MetricsText.of(kubescrape.url());
                    double direct = MetricsText.sum(m, "netty_allocator_memory_used", "memory_type", "direct");
                    double heap = MetricsText.sum(m, "jvm_memory_used_bytes", "area", "heap");
                    Arrays.sort(latencies);
                    System.out.printf("[measure] slow caller read %d B in 10 s; the API server sent %.1f MB of %d MB;"
                            + " kubescrape direct %.1f MB, heap %.1f MB; other scrapes p50 %d ms, max %d ms%n",
                            readSlowly, sent / 1048576.0, BODY >> 20, direct / 1048576, heap / 1048576,
                            latencies[50], latencies[99]);
                    assertThat(sent).as("the API server is held back, not drained into memory").isLessThan(64L << 20);
                    assertThat(direct).as("kubescrape's direct memory (the gauge is exported)").isBetween(1.0, 32.0 * (1 << 20));
                    assertThat(latencies[99]).as("the slowest of 100 other scrapes, ms").isLessThan(1000);
                }
                // The slow caller is gone: its scrape ends and its upstream stream is closed.
                Harness.awaitWithin(5000, () -> MetricsText.sum(MetricsText.of(kubescrape.url()),
                        "kubescrape_scrapes_in_flight") == 0);
                Harness.awaitWithin(5000, () -> MetricsText.sum(MetricsText.of(kubescrape.url()),
                        "kubescrape_upstream_connections", "cluster", "big", "state", "open") == 0);
                assertThat(kubescrape.log()).noneMatch(l -> l.contains("OutOfMemoryError"));
            }
        }
    }
}
