package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ConfigLoader;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.transport.Transport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /-/ready is 503 while a cluster's first list is under way, and 200 once it finished or failed. */
class ReadinessTest {
    @Test
    void notReadyUntilEveryClusterHasListedOrFailed(@TempDir Path dir) throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, never answers: the TLS handshake hangs
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), """
                    clusters:
                      - name: silent
                        server: https://127.0.0.1:%d
                        insecure_skip_tls_verify: true
                        token: t
                        upstream: {connect_timeout: 2s}
                    """.formatted(silent.getLocalPort()));
            ProxyConfig config = new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0");
            try (ProxyServer server = new ProxyServer(config, Transport.detect(true))) {
                String url = "http://127.0.0.1:" + server.start().getPort();
                var early = Harness.get(url + "/-/ready");
                assertThat(early.statusCode()).isEqualTo(503);
                assertThat(early.body()).contains("first pod list");
                assertThat(Harness.get(url + "/-/healthy").statusCode()).isEqualTo(200);
                long deadline = System.nanoTime() + 10_000_000_000L;
                int status = 503;
                while (status != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    status = Harness.get(url + "/-/ready").statusCode();
                }
                assertThat(status).as("ready once the first list failed and discovery backs off").isEqualTo(200);
                assertThat(Harness.get(url + "/").body()).contains("silent");
                assertThat(Harness.get(url + "/sd").body()).isEqualTo("[]");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
