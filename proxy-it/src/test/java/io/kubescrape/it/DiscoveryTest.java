package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery against kube-sim: targets follow pod events in /sd and file_sd, survive a 410 and an outage. */
class DiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private KubeSimServer sim;
    private Harness.Running kubescrape;
    private Path fileSd;

    @BeforeEach
    void start() throws Exception {
        sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, 10, List.of("default", "monitoring"), 512,
                null, 0, Sims.TOKEN, dir.resolve("ca"), List.of(), null, 1000, true));
        fileSd = dir.resolve("targets.json");
        kubescrape = Harness.start(sim.writeKubeconfig(dir.resolve("kubeconfig")), fileSd);
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/-/ready").statusCode() == 200);
    }

    @AfterEach
    void stop() {
        kubescrape.close();
        if (sim != null) {
            sim.close();
        }
    }

    /** The pods of cluster kube-sim that /sd lists. */
    private Set<String> sdPods() throws Exception {
        return pods(JSON.readTree(Harness.get(kubescrape.url() + "/sd?cluster=kube-sim").body()));
    }

    private Set<String> filePods() throws Exception {
        if (!Files.exists(fileSd)) {
            return Set.of();
        }
        Set<String> all = pods(JSON.readTree(Files.readAllBytes(fileSd)));
        all.removeIf(p -> !p.startsWith("kube-sim/"));
        return all;
    }

    private static Set<String> pods(JsonNode groups) {
        Set<String> out = new TreeSet<>();
        for (JsonNode g : groups) {
            JsonNode l = g.get("labels");
            out.add(l.get("cluster").asText() + "/" + l.get("namespace").asText() + "/" + l.get("pod").asText());
        }
        return out;
    }

    /** The annotated pods kube-sim has (cache-* carry no prometheus.io/scrape annotation). */
    private Set<String> simPods() {
        Set<String> out = new TreeSet<>();
        sim.podKeys().stream().filter(k -> !k.contains("/cache-")).forEach(k -> out.add("kube-sim/" + k));
        return out;
    }

    @Test
    void targetsAppearAndDisappearWithinTwoSeconds() throws Exception {
        Harness.awaitWithin(2000, () -> sdPods().equals(simPods()) && filePods().equals(simPods()));
        assertThat(sdPods()).contains("kube-sim/default/web-0", "kube-sim/faults/slow-0")
                .doesNotContain("kube-sim/default/cache-0");

        assertThat(sim.deletePod("default/web-0")).isTrue();
        long t0 = System.nanoTime();
        Harness.awaitWithin(2000, () -> !sdPods().contains("kube-sim/default/web-0")
                && !filePods().contains("kube-sim/default/web-0"));
        String added = sim.addPod(1000); // web-200
        Harness.awaitWithin(2000, () -> sdPods().contains("kube-sim/" + added) && filePods().contains("kube-sim/" + added));
        System.out.printf("[measure] delete and add seen in /sd and file_sd after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(sdPods()).isEqualTo(simPods());
    }

    @Test
    void aTooOldVersionForcesARelistThatLosesNoPod() throws Exception {
        Harness.awaitWithin(2000, () -> sdPods().equals(simPods()));
        sim.pauseWatches(true);                // changes the open watch never hears about
        sim.deletePod("default/web-0");
        String added = sim.addPod(1001);       // api-200
        sim.expireAndDisconnectWatches();      // the resume will get 410 Gone
        sim.pauseWatches(false);
        Harness.awaitWithin(5000, () -> sdPods().equals(simPods()));
        assertThat(sdPods()).contains("kube-sim/" + added).doesNotContain("kube-sim/default/web-0");
        String metrics = Harness.get(kubescrape.url() + "/metrics").body();
        assertThat(metrics).containsPattern(
                "kubescrape_discovery_watch_restarts_total\\{cluster=\"kube-sim\",reason=\"expired\",role=\"pod\"\\} [1-9]");
    }

    @Test
    void selectionByNamespaceLabelSelectorAndMode() throws Exception {
        Path cfg = Files.writeString(dir.resolve("select.yaml"), """
                kubeconfigs: [{path: %s, contexts: [kube-sim]}]
                cluster_defaults:
                  discovery:
                    mode: all
                    namespaces: [default, monitoring]
                    exclude_namespaces: [default]
                    label_selector: "app in (web,cache)"
                """.formatted(dir.resolve("kubeconfig")));
        var config = new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0");
        try (ProxyServer server = new ProxyServer(config,
                Transport.detect(true))) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            Harness.awaitWithin(10_000, () -> Harness.get(url + "/-/ready").statusCode() == 200);
            Set<String> listed = pods(JSON.readTree(Harness.get(url + "/sd").body()));
            Set<String> expected = new TreeSet<>();
            sim.podKeys().stream().filter(k -> k.startsWith("monitoring/web-") || k.startsWith("monitoring/cache-"))
                    .forEach(k -> expected.add("kube-sim/" + k));
            assertThat(expected).as("the sim has such pods").isNotEmpty();
            assertThat(listed).as("mode all takes cache-* (no annotation, a metrics port)").isEqualTo(expected);
        }
    }

    @Test
    void anApiServerOutageKeepsTheLastTargets() throws Exception {
        Harness.awaitWithin(2000, () -> sdPods().equals(simPods()));
        Set<String> before = sdPods();
        sim.close();
        sim = null;
        Thread.sleep(3000);
        assertThat(sdPods()).as("targets survive the outage").isEqualTo(before);
        assertThat(filePods()).isEqualTo(before);
        // At least one watch notices the outage at once. Occasionally one of the two does not (an open issue noted
        // for the fault matrix of issue 7; its stall timeout restarts it); the targets survive either way.
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/metrics").body().matches("(?s).*"
                + "kubescrape_discovery_watch_restarts_total\\{cluster=\"kube-sim(-mtls)?\",reason=\"(disconnected|list_failed)\",role=\"pod\"\\}.*"));
        assertThat(sdPods()).as("and still after the outage was noticed").isEqualTo(before);
        assertThat(Harness.get(kubescrape.url() + "/metrics").body())
                .contains("kubescrape_discovery_pods{cluster=\"kube-sim\"} 14.0");
    }
}
