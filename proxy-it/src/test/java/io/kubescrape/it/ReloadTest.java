package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.transport.Transport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Config reload: POST /-/reload (with lifecycle) and SIGHUP swap clusters; a bad config keeps the old one. */
class ReloadTest {
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(5).withoutFaultPods();

    private static HttpResponse<String> post(String url) throws Exception {
        return Harness.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String config(String contexts) {
        return "kubeconfigs: [{path: kubeconfig, contexts: [" + contexts + "]}]\n";
    }

    @Test
    void reloadSwapsClustersAndABadConfigKeepsTheOld() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("reload.yaml"), config("kube-sim"));
        try (ProxyServer server = server(cfg, true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            String mtlsPod = url + "/clusters/kube-sim-mtls/ns/default/pods/web-0/metrics";
            assertThat(Harness.get(mtlsPod).statusCode()).as("not configured yet").isEqualTo(404);

            Files.writeString(cfg, config("kube-sim, kube-sim-mtls"));
            HttpResponse<String> ok = post(url + "/-/reload");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(Harness.get(mtlsPod).statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Harness.get(url + "/sd").body().contains("kube-sim-mtls") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Harness.get(url + "/sd").body()).contains("\"cluster\":\"kube-sim-mtls\"");
            assertThat(Harness.get(url + "/metrics").body()).contains("kubescrape_config_last_reload_successful 1.0");

            Files.writeString(cfg, config("kube-sim") + "upstream_typo: {}\n");
            HttpResponse<String> bad = post(url + "/-/reload");
            assertThat(bad.statusCode()).isEqualTo(500);
            assertThat(bad.body()).contains("running configuration is kept").contains("upstream_typo");
            assertThat(Harness.get(mtlsPod).statusCode()).as("the old clusters still serve").isEqualTo(200);
            assertThat(Harness.get(url + "/metrics").body()).contains("kubescrape_config_last_reload_successful 0.0");
        }
    }

    @Test
    void discoveryGaugesFollowTheReloadedCluster() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("gauges.yaml"), config("kube-sim"));
        try (ProxyServer server = server(cfg, true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            String pods = "kubescrape_discovery_pods{cluster=\"kube-sim\"}";
            Harness.awaitWithin(10_000, () -> MetricsText.of(url).contains(pods + " 5.0")); // the sim's five

            // The reloaded cluster watches only "monitoring", where the sim has none.
            Files.writeString(cfg, config("kube-sim") + "cluster_defaults: {discovery: {namespaces: [monitoring]}}\n");
            assertThat(post(url + "/-/reload").statusCode()).isEqualTo(200);
            Harness.awaitWithin(10_000, () -> MetricsText.of(url).contains(pods + " 0.0"));
        }
    }

    @Test
    void aBurstOfReloadsIsOneAndAnUnchangedClusterKeepsItsWatches() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("same.yaml"), config("kube-sim"));
        try (ProxyServer server = server(cfg, true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            Harness.awaitWithin(10_000, () -> Harness.get(url + "/-/ready").statusCode() == 200);
            long lists = SIM.server().listRequests();
            double before = MetricsText.sum(MetricsText.of(url), "kubescrape_config_reloads_total");

            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(Harness.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url + "/-/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> r : burst) {
                assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            double runs = MetricsText.sum(MetricsText.of(url), "kubescrape_config_reloads_total") - before;
            assertThat(runs).as("20 requests at once: the first runs, the rest join the next").isBetween(1.0, 2.0);
            assertThat(SIM.server().listRequests()).as("an unchanged cluster keeps its watch: no relist")
                    .isEqualTo(lists);
        }
    }

    @Test
    void aReplacedClusterStopsWatchingAtOnce() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("replaced.yaml"), config("kube-sim"));
        try (ProxyServer server = server(cfg, true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            Harness.awaitWithin(10_000, () -> Harness.get(url + "/-/ready").statusCode() == 200);
            Harness.awaitWithin(5_000, () -> SIM.server().openWatches() == 1); // ours alone (earlier tests' gone)
            Files.writeString(cfg, config("kube-sim") + "cluster_defaults: {upstream: {max_connections: 63}}\n");
            long listsBefore = SIM.server().listRequests();
            assertThat(post(url + "/-/reload").statusCode()).isEqualTo(200);
            Harness.awaitWithin(10_000, () -> SIM.server().listRequests() > listsBefore); // the new cluster listed
            Thread.sleep(1000); // and opened its watch right after
            // The replaced cluster's watch ended with the reload, not after the scrape grace (35 s here).
            assertThat(SIM.server().openWatches()).as("the new cluster's watch only").isEqualTo(1);
        }
    }

    @Test
    void withoutLifecycleThereIsNoReloadEndpoint() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("plain.yaml"), config("kube-sim"));
        try (ProxyServer server = server(cfg, false)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            HttpResponse<String> r = post(url + "/-/reload");
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.body()).contains("--enable-lifecycle");
        }
    }

    @Test
    void sighupReloadsTheRealJar() throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve("hup.yaml"), config("kube-sim"));
        try (KubescrapeProcess ks = new KubescrapeProcess(List.of(), "--config", cfg.toString(), "--listen",
                "127.0.0.1:0")) {
            String mtlsPod = ks.url() + "/clusters/kube-sim-mtls/ns/default/pods/web-0/metrics";
            assertThat(Harness.get(mtlsPod).statusCode()).isEqualTo(404);
            Files.writeString(cfg, config("kube-sim, kube-sim-mtls"));
            new ProcessBuilder("kill", "-HUP", Long.toString(ks.pid())).start().waitFor();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Harness.get(mtlsPod).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Harness.get(mtlsPod).statusCode()).isEqualTo(200);
            assertThat(ks.log()).anyMatch(l -> l.contains("configuration reloaded"));
            // Stopping with the replaced clusters' pooled connections still open: a clean exit, no warnings.
            assertThat(ks.stop()).isZero();
            List<String> log = ks.log();
            int stopping = log.indexOf(log.stream().filter(l -> l.contains("stopping")).findFirst().orElseThrow());
            assertThat(log.subList(stopping, log.size())).anyMatch(l -> l.contains("stopped"))
                    .noneMatch(l -> l.contains("WARN") || l.contains("Exception"));
        }
    }

    /** A server on {@code cfg} that reloads from it (with POST /-/reload when {@code lifecycle}). */
    private static ProxyServer server(Path cfg, boolean lifecycle) throws Exception {
        ProxyConfigSource source = new ProxyConfigSource(cfg);
        return new ProxyServer(source.load(), Transport.detect(true), source::load, lifecycle);
    }

    /** Loads the same config file each time, as the CLI does. */
    private record ProxyConfigSource(Path file) {
        ProxyConfig load() throws ConfigException {
            return new ConfigLoader().load(file, List.of(), "127.0.0.1:0");
        }
    }
}
