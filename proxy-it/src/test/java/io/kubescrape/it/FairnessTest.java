package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.transport.Transport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One tenant cannot starve the others: a caller hammering a slow pod gets its share of the cluster and no more,
 * one pod is not scraped more than a few times at once, and other scrapes go on meanwhile. Identical scrapes do not
 * share one request here ({@code share_buffer: 0}), so each takes its own place in admission.
 */
class FairnessTest {
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(5); // faults/slow-0 answers after 3 s

    private static final String OPS = "Basic " + Base64.getEncoder().encodeToString(
            "ops:s3cret".getBytes(StandardCharsets.UTF_8));

    private static ProxyServer server(String upstream, boolean callers) throws Exception {
        Files.writeString(SIM.dir().resolve("eu.token"), "eu-token\n");
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        Path cfg = Files.writeString(SIM.dir().resolve("fair-" + callers + ".yaml"), """
                kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]
                cluster_defaults: {upstream: %s, scrape: {share_buffer: 0}}
                """.formatted(upstream) + (!callers ? "" : """
                callers:
                  - {name: eu, bearer_token_file: eu.token, allow: [{cluster: kube-sim}], grants: [metrics]}
                  - {name: ops, username: ops, password_hash: '%s', allow: [{cluster: '*'}]}
                """.formatted(hash)));
        return new ProxyServer(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"), Transport.detect(true));
    }

    /** Six scrapes of the slow pod at once; their outcomes once all answered. */
    private static List<String> hammer(String url, String... headers) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url
                    + "/clusters/kube-sim/ns/faults/pods/slow-0/metrics")).timeout(Duration.ofSeconds(30));
            if (headers.length > 0) {
                b.headers(headers);
            }
            all.add(Harness.CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(500); // under way: slow-0 answers after 3 s
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            outcomes.add(r.statusCode() + " " + r.headers().firstValue("X-Kubescrape-Outcome").orElse("relayed"));
        }
        return outcomes;
    }

    @Test
    void aCallerGetsItsShareOfTheClusterAndAnotherCallerGoesOn() throws Exception {
        // 64 connections × 0.05: three scrapes at once per caller.
        try (ProxyServer server = server("{caller_share: 0.05, max_concurrent_per_target: 100}", true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            CompletableFuture<List<String>> eu = CompletableFuture.supplyAsync(() -> {
                try {
                    return hammer(url, "Authorization", "Bearer eu-token");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            assertThat(Harness.get(url + "/clusters/kube-sim/ns/default/pods/web-0/metrics", "Authorization", OPS)
                    .statusCode()).as("another caller, meanwhile").isEqualTo(200);
            List<String> outcomes = eu.get(30, TimeUnit.SECONDS);
            assertThat(outcomes).as("three at once, the rest shed").filteredOn(o -> o.startsWith("200")).hasSize(3);
            assertThat(outcomes).filteredOn(o -> o.equals("503 caller_over_share")).hasSize(3);
            String metrics = Harness.get(url + "/metrics", "Authorization", "Bearer eu-token").body();
            assertThat(MetricsText.sum(metrics, "kubescrape_scrapes_shed_total", "caller", "eu", "reason",
                    "caller_share")).isEqualTo(3);
        }
    }

    @Test
    void underAutoACallersShareGrowsOnceTheApiServerPicksHttp2() throws Exception {
        // Over HTTP/1.1, 4 connections carry 4 scrapes: 2 per caller; as streams, 4 × 1000: the 256-scrape limit.
        try (ProxyServer server = server("{protocol: auto, max_connections: 4, caller_share: 0.5, "
                + "max_concurrent_per_target: 100}", true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            assertThat(Harness.get(url + "/clusters/kube-sim/ns/default/pods/web-0/metrics", "Authorization",
                    "Bearer eu-token").statusCode()).as("the first scrape learns the protocol").isEqualTo(200);
            assertThat(hammer(url, "Authorization", "Bearer eu-token")).as("six at once, all within 128")
                    .containsOnly("200 relayed");
        }
    }

    @Test
    void onePodIsNotScrapedMoreThanItsCapAtOnce() throws Exception {
        try (ProxyServer server = server("{caller_share: 1.0, max_concurrent_per_target: 2}", true)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            List<String> outcomes = hammer(url, "Authorization", "Bearer eu-token");
            assertThat(outcomes).as(outcomes.toString()).filteredOn(o -> o.startsWith("200")).hasSize(2);
            assertThat(outcomes).filteredOn(o -> o.equals("503 target_busy")).hasSize(4);
            assertThat(Harness.get(url + "/clusters/kube-sim/ns/default/pods/web-0/metrics", "Authorization",
                    "Bearer eu-token").statusCode()).isEqualTo(200);
            String metrics = Harness.get(url + "/metrics", "Authorization", "Bearer eu-token").body();
            assertThat(MetricsText.sum(metrics, "kubescrape_scrapes_shed_total", "caller", "eu", "reason",
                    "target_busy")).isEqualTo(4);
        }
    }

    @Test
    void withoutCallersThereAreNoShares() throws Exception {
        // One operator's own Prometheus, or a load test: six at once of one pod all go through.
        try (ProxyServer server = server("{max_concurrent_per_target: 2}", false)) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            assertThat(hammer(url)).filteredOn(o -> o.startsWith("200")).hasSize(6);
        }
    }
}
