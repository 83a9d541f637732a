package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch faults the fault matrix lists beside the 410 relist of {@link DiscoveryTest}: a watch stream cut while
 * changes happen, and a watch that goes silent (no events, no bookmarks) past {@code stall_timeout}. Either way
 * discovery catches up by resuming from its last version, with no pod lost or kept too long.
 */
class WatchFaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private KubeSimServer sim;
    private Harness.Running kubescrape;

    @BeforeEach
    void start() throws Exception {
        sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, 10, List.of("default"), 512, null, 0,
                Sims.TOKEN, null, List.of(), null, 1000, false));
        Path kubeconfig = new Kubeconfigs().context("kube-sim", sim.url(), sim.caPem(), Kubeconfigs.token(Sims.TOKEN))
                .write(dir.resolve("kubeconfig"));
        kubescrape = Harness.startWithConfig(Files.writeString(dir.resolve("kubescrape.yaml"),
                "kubeconfigs: [{path: " + kubeconfig + "}]\ncluster_defaults: {discovery: {stall_timeout: 2s}}\n"));
        Harness.awaitWithin(10_000, () -> Harness.get(kubescrape.url() + "/-/ready").statusCode() == 200);
        Harness.awaitWithin(2000, () -> sdPods().equals(simPods()));
    }

    @AfterEach
    void stop() throws Exception {
        sim.pauseWatches(false);
        Harness.closeAll(kubescrape, sim);
    }

    private Set<String> sdPods() throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode g : JSON.readTree(Harness.get(kubescrape.url() + "/sd").body())) {
            out.add(g.get("labels").get("namespace").asText() + "/" + g.get("labels").get("pod").asText());
        }
        return out;
    }

    private Set<String> simPods() {
        Set<String> out = new TreeSet<>(sim.podKeys());
        out.removeIf(k -> k.contains("/cache-")); // no scrape annotation
        return out;
    }

    private double restarts(String reason) throws Exception {
        return MetricsText.sum(MetricsText.of(kubescrape.url()), "kubescrape_discovery_watch_restarts_total",
                "reason", reason);
    }

    @Test
    void aCutWatchResumesAndMissesNoChange() throws Exception {
        double before = restarts("disconnected");
        sim.pauseWatches(true);            // changes the cut watch never sends
        sim.deletePod("default/web-0");
        String added = sim.addPod(1000);
        sim.disconnectWatches();
        sim.pauseWatches(false);
        Harness.awaitWithin(5000, () -> sdPods().equals(simPods()));
        assertThat(sdPods()).contains(added).doesNotContain("default/web-0");
        assertThat(restarts("disconnected") - before).isGreaterThanOrEqualTo(1);
        for (int i = 0; i < 3; i++) {      // cut again and again: one watch connection, never more
            sim.disconnectWatches();
            Harness.awaitWithin(5000, () -> restarts("disconnected") - before >= 2);
        }
        IdleState.await(kubescrape.url(), sim, 1, -1);
    }

    @Test
    void aSilentWatchIsRestartedAfterTheStallTimeoutAndMissesNoChange() throws Exception {
        double before = restarts("stalled");
        sim.pauseWatches(true);            // from now on the open watch hears nothing, not even bookmarks
        sim.deletePod("default/web-1");
        String added = sim.addPod(1001);
        long t0 = System.nanoTime();
        Harness.awaitWithin(8000, () -> sdPods().equals(simPods()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("caught up by the restart after stall_timeout (2 s), not before").isGreaterThan(1500);
        assertThat(sdPods()).contains(added).doesNotContain("default/web-1");
        assertThat(restarts("stalled") - before).isGreaterThanOrEqualTo(1);
        IdleState.await(kubescrape.url(), sim, 1, -1);
    }
}
