package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ConfigSource;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.transport.Transport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Five reloads while wrk scrapes at full speed: not one scrape fails. */
class ReloadUnderLoadTest {
    @Test
    void reloadsDropNoScrape(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.onPath("wrk"), () -> Tools.missing("wrk", "wrk"));
        try (KubeSimServer sim = Sims.start(5, 0, false)) {
            sim.writeKubeconfig(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"),
                    "kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]\n");
            var source = (ConfigSource) () -> new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0");
            ProxyServer server = new ProxyServer(source.load(), Transport.detect(true), source, true);
            try {
                String url = "http://127.0.0.1:" + server.start().getPort();
                // Reloads start at most every 2 s (ConfigReloader.MIN_INTERVAL): wrk runs through all five.
                Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d14s", "--latency",
                        url + "/clusters/kube-sim/ns/default/pods/web-0/metrics").redirectErrorStream(true).start();
                int reloads = 0;
                for (int i = 0; i < 5; i++) {
                    Thread.sleep(800);
                    // A changed spec each time, so each reload replaces the cluster (an unchanged one is kept).
                    Files.writeString(cfg, "kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]\n"
                            + "cluster_defaults: {upstream: {max_connections: " + (60 + i) + "}}\n");
                    HttpResponse<String> r = Harness.CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/-/reload"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    reloads += r.statusCode() == 200 ? 1 : 0;
                }
                String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(wrk.waitFor(30, TimeUnit.SECONDS)).isTrue();
                System.out.println("[measure] wrk during 5 reloads:\n" + report);
                assertThat(reloads).isEqualTo(5);
                assertThat(report).contains("Requests/sec").doesNotContain("Non-2xx").doesNotContain("Socket errors");
            } finally {
                assertThat(warningsWhile(server::close)).as("closing with the replaced clusters' connections open")
                        .isEmpty();
            }
        }
    }

    /** What Netty logged at WARN or above while {@code action} ran (it warns of tasks refused by a stopped loop). */
    private static List<String> warningsWhile(Runnable action) {
        var netty = (Logger) LoggerFactory.getLogger("io.netty");
        var seen = new ListAppender<ILoggingEvent>();
        seen.start();
        netty.addAppender(seen);
        try {
            action.run();
        } finally {
            netty.detachAppender(seen);
        }
        return seen.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }
}
