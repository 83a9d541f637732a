package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.transport.Transport;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a hostile or broken caller gets, over raw sockets: 414, 431, slow-loris cut off, connection caps. */
class HostileInputTest {
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(5).withoutFaultPods();
    private static ProxyServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path kubeconfig = SIM.kubeconfig();
        Path cfg = Files.writeString(SIM.dir().resolve("kubescrape.yaml"), """
                kubeconfigs: [{path: %s, contexts: [kube-sim]}]
                limits: {max_uri_length: 512, max_header_bytes: 2048, header_timeout: 1s, idle_timeout: 2s,
                         max_requests_per_connection: 3, max_connections: 20}
                """.formatted(kubeconfig));
        server = new ProxyServer(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"), Transport.detect(true));
        port = server.start().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String exchange(String raw) throws Exception {
        return Harness.exchange(port, raw);
    }

    @Test
    void aLongUriIs414AndBigHeadersAre431() throws Exception {
        String longUri = "/clusters/kube-sim/ns/default/pods/" + "a".repeat(600) + "/metrics";
        assertThat(exchange("GET " + longUri + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + "b".repeat(3000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
    }

    @Test
    void aSlowLorisIsCutOffWhileNormalScrapesGoOn() throws Exception {
        try (Socket loris = new Socket("127.0.0.1", port)) {
            loris.setSoTimeout(5000);
            OutputStream out = loris.getOutputStream();
            long t0 = System.nanoTime();
            out.write("GET /clusters/kube-sim/ns/default/pods/web-0/metrics HTTP/1.1\r\n".getBytes());
            Thread trickle = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(100);
                        out.write("X-Slow: 1\r\n".getBytes()); // a header every 100 ms, never the end
                    }
                } catch (Exception closed) {
                    // the server cut the connection
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            assertThat(Harness.get("http://127.0.0.1:" + port + "/clusters/kube-sim/ns/default/pods/web-0/metrics")
                    .statusCode()).as("other scrapes go on meanwhile").isEqualTo(200);
            assertThat(loris.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("at the 1 s header timeout").isBetween(900L, 3000L);
        }
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheHeaderTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String req = "GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            s.getOutputStream().write(req.getBytes());
            Thread.sleep(1500); // longer than header_timeout, with no byte of a next request
            s.getOutputStream().write(req.getBytes());
            StringBuilder text = new StringBuilder();
            byte[] buf = new byte[4096];
            while (text.toString().split("HTTP/1.1 200", -1).length < 3) {
                int n = s.getInputStream().read(buf);
                assertThat(n).as("the connection stays open for the second request").isPositive();
                text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void aConnectionWithNoRequestForTheIdleTimeoutIsClosedButOneInUseIsNot() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            byte[] req = "GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes();
            byte[] buf = new byte[4096];
            long t0 = System.nanoTime();
            for (int i = 0; i < 2; i++) { // 2.4 s in use, more than the 2 s idle timeout, never 2 s idle
                s.getOutputStream().write(req);
                assertThat(s.getInputStream().read(buf)).as("answer %d", i).isPositive();
                Thread.sleep(1200);
            }
            long idleFrom = System.nanoTime();
            assertThat(s.getInputStream().read(buf)).as("closed once idle").isEqualTo(-1);
            assertThat((System.nanoTime() - idleFrom) / 1_000_000).as("about 2 s after the last answer, less"
                    + " the 1.2 s already waited").isBetween(500L, 2500L);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThan(3000L);
        }
    }

    @Test
    void aConnectionCarriesAtMostItsRequestCap() throws Exception {
        String req = "GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        String all = exchange(req.repeat(5)); // pipelined; the third answer says close, the rest are dropped
        assertThat(all.split("HTTP/1.1 200", -1)).hasSize(4);
        assertThat(all).containsIgnoringCase("connection: close");
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
        // Other tests' keep-alive connections (the shared HttpClient's pool) count until the 2 s idle timeout
        // closes them: one closing mid-test would free a slot for the extra connection.
        awaitOpenConnections(0);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            awaitOpenConnections(20);
            try (Socket extra = new Socket("127.0.0.1", port)) {
                extra.setSoTimeout(3000);
                int first;
                try {
                    extra.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes());
                    first = extra.getInputStream().read();
                } catch (SocketException reset) {
                    first = -1; // it wrote into a connection already closed: a reset says the same
                }
                assertThat(first).as("closed without an answer").isEqualTo(-1);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(200);
        assertThat(Harness.get("http://127.0.0.1:" + port + "/metrics").body())
                .containsPattern("kubescrape_downstream_connections_rejected_total [1-9]");
    }

    /** Waits (up to 5 s) until the server counts exactly this many open downstream connections. */
    private static void awaitOpenConnections(int n) throws Exception {
        try {
            Harness.awaitWithin(5000, () -> openConnections() == n);
        } catch (AssertionError e) {
            throw new AssertionError("open downstream connections: " + openConnections() + ", expected " + n, e);
        }
    }

    private static double openConnections() {
        return server.metrics().registry().get("kubescrape.downstream.connections").gauge().value();
    }

    @Test
    void requestsRfc9112RefusesAreAnsweredAndTheConnectionClosed() throws Exception {
        String pod = "/clusters/kube-sim/ns/default/pods/web-0/metrics";
        assertThat(exchange("GET " + pod + " HTTP/1.1\r\n\r\n")).as("no Host").startsWith("HTTP/1.1 400")
                .contains("exactly one Host");
        assertThat(exchange("GET " + pod + " HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .as("two Hosts").startsWith("HTTP/1.1 400");
        assertThat(exchange("GET " + pod + " HTTP/1.7\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 505")
                .contains("X-Kubescrape-Outcome: version_not_supported");
        assertThat(exchange("GET http://127.0.0.1" + pod + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .as("absolute form: 400, never 404").startsWith("HTTP/1.1 400");
        assertThat(exchange("GET " + pod + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\n\r\n"))
                .as("obsolete line folding").startsWith("HTTP/1.1 400").contains("line folding");
        assertThat(exchange("POST /-/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"))
                .as("a body").startsWith("HTTP/1.1 400").contains("no request body");
        assertThat(exchange("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .as("and a well-formed request still works").startsWith("HTTP/1.1 200");
    }

    @Test
    void aLoopbackListenerAnswersOnlyToItsOwnNames() throws Exception {
        assertThat(exchange("GET /clusters/kube-sim/ns/default/pods/web-0/metrics HTTP/1.1\r\n"
                + "Host: attacker.example\r\n\r\n")).as("DNS rebinding").startsWith("HTTP/1.1 421")
                .contains("X-Kubescrape-Outcome: misdirected");
        for (String host : new String[] {"localhost:" + port, "127.0.0.1", "[::1]:" + port, "LOCALHOST."}) {
            assertThat(exchange("GET /-/healthy HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
                    .as(host).startsWith("HTTP/1.1 200");
        }
    }
}
