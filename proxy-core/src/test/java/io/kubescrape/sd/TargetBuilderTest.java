package io.kubescrape.sd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetBuilderTest {
    private static ClusterSpec cluster(String mode) {
        return new ClusterSpec("prod", URI.create("https://api:6443"), "test", new TlsSettings(null, false, null, null,
                null), CredentialSpec.NONE, ScrapeSettings.BUILTIN, UpstreamSettings.BUILTIN,
                new DiscoverySettings(null, mode, null, null, null, null, null).orElse(DiscoverySettings.BUILTIN));
    }

    private static PodInfo pod(String name, Map<String, String> annotations, String phase, ContainerPort... ports) {
        return new PodInfo("web", name, "1", Map.of("app.kubernetes.io/name", "web"), annotations, List.of(ports),
                phase, "10.0.0.1", "node-1", true);
    }

    private static final Map<String, String> SCRAPE = Map.of("prometheus.io/scrape", "true");

    @Test
    void annotatedModeTakesAnnotatedRunningPodsOnly() {
        List<ScrapeTarget> t = TargetBuilder.build(cluster("annotated"), List.of(
                pod("a", SCRAPE, "Running", new ContainerPort("c", "metrics", 9100, "TCP")),
                pod("b", Map.of(), "Running", new ContainerPort("c", "metrics", 9100, "TCP")),
                pod("c", SCRAPE, "Pending", new ContainerPort("c", "metrics", 9100, "TCP"))));
        assertThat(t).extracting(ScrapeTarget::name).containsExactly("a");
        assertThat(t.get(0).path()).isEqualTo("/clusters/prod/ns/web/pods/a/metrics");
    }

    @Test
    void allModeTakesEveryPodWithAMetricsPort() {
        List<ScrapeTarget> t = TargetBuilder.build(cluster("all"), List.of(
                pod("a", Map.of(), "Running", new ContainerPort("c", "http-metrics", 9102, "TCP")),
                pod("b", Map.of(), "Running", new ContainerPort("c", "http", 8080, "TCP"))));
        assertThat(t).extracting(ScrapeTarget::name).containsExactly("a");
        assertThat(t.get(0).path()).as("RESOLVE alone would not find http-metrics: the URL names it")
                .isEqualTo("/clusters/prod/ns/web/pods/a:http-metrics/metrics");
    }

    @Test
    void severalMetricsPortsBecomeOneTargetEach() {
        Map<String, String> ann = Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9100");
        List<ScrapeTarget> t = TargetBuilder.build(cluster("annotated"), List.of(pod("a", ann, "Running",
                new ContainerPort("app", "metrics", 9100, "TCP"), new ContainerPort("side", "envoy-metrics", 15090, "TCP"),
                new ContainerPort("app", "http", 8080, "TCP"))));
        assertThat(t).extracting(ScrapeTarget::path).containsExactly("/clusters/prod/ns/web/pods/a:metrics/metrics",
                "/clusters/prod/ns/web/pods/a:envoy-metrics/metrics");
        assertThat(t.get(1).labels()).containsEntry("__meta_kubescrape_pod_container_port_name", "envoy-metrics")
                .containsEntry("__meta_kubescrape_pod_container_port_number", "15090")
                .containsEntry("__meta_kubescrape_pod_container_name", "side");
    }

    @Test
    void closedNamespacesAreNotPublished() {
        ClusterSpec base = cluster("annotated");
        ClusterSpec closed = new ClusterSpec(base.name(), base.server(), base.origin(), base.tls(), base.credential(),
                new ScrapeSettings(null, null, null, null, null, List.of("*"), List.of("we*")).orElse(base.scrape()),
                base.upstream(), base.discovery());
        assertThat(closed.scrape().scrapes("web")).isFalse();
        assertThat(closed.scrape().scrapes("kube-system")).isTrue();
        assertThat(TargetBuilder.build(closed, List.of(pod("a", SCRAPE, "Running",
                new ContainerPort("c", "metrics", 9100, "TCP"))))).isEmpty();
    }

    @Test
    void labelsCarryThePodForRelabelling() {
        ScrapeTarget t = TargetBuilder.build(cluster("annotated"), List.of(pod("a", SCRAPE, "Running",
                new ContainerPort("c", "metrics", 9100, "TCP")))).get(0);
        assertThat(t.labels()).containsEntry("__metrics_path__", t.path()).containsEntry("cluster", "prod")
                .containsEntry("namespace", "web").containsEntry("pod", "a")
                .containsEntry("__meta_kubescrape_pod_label_app_kubernetes_io_name", "web")
                .containsEntry("__meta_kubescrape_pod_annotation_prometheus_io_scrape", "true")
                .containsEntry("__meta_kubescrape_pod_node_name", "node-1")
                .containsEntry("__meta_kubescrape_pod_ready", "true");
        assertThat(LabelNames.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
    }

    @Test
    void shardsPartitionTargetsDeterministically() {
        List<ScrapeTarget> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.addAll(TargetBuilder.build(cluster("annotated"), List.of(pod("p-" + i, SCRAPE, "Running",
                    new ContainerPort("c", "metrics", 9100, "TCP")))));
        }
        Set<String> seen = new HashSet<>();
        for (int shard = 0; shard < 3; shard++) {
            SdQuery q = new SdQuery(null, null, shard, 3);
            List<String> mine = all.stream().filter(q::matches).map(ScrapeTarget::path).toList();
            assertThat(mine.size()).as("roughly a third").isBetween(40, 95);
            mine.forEach(p -> assertThat(seen.add(p)).as("in one shard only: " + p).isTrue());
        }
        assertThat(seen).hasSize(200);
        assertThat(LabelNames.hash("/clusters/prod/ns/web/pods/p-1/metrics"))
                .as("stable across runs and replicas").isEqualTo(LabelNames.hash("/clusters/prod/ns/web/pods/p-1/metrics"));
    }

    @Test
    void instanceNamesThePodIpAndThePortScrapedSoEveryTargetDiffers() {
        Map<String, String> ann = Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9100");
        List<ScrapeTarget> t = TargetBuilder.build(cluster("annotated"), List.of(
                pod("a", ann, "Running", new ContainerPort("app", "metrics", 9100, "TCP"),
                        new ContainerPort("side", "envoy-metrics", 15090, "TCP")),
                new PodInfo("web", "b", "1", Map.of(), SCRAPE, List.of(new ContainerPort("c", "metrics", 9102, "TCP")),
                        "Running", "fd00::7", "node-1", true)));
        assertThat(t).extracting(x -> x.labels().get("instance"))
                .containsExactly("10.0.0.1:9100", "10.0.0.1:15090", "[fd00::7]:9102");
    }

    @Test
    void instanceOfABareTargetIsThePortResolveWouldPick() {
        // No metrics-named port: RESOLVE picks the annotation's port, and the instance says which one.
        Map<String, String> ann = Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080");
        ScrapeTarget t = TargetBuilder.build(cluster("annotated"), List.of(pod("a", ann, "Running",
                new ContainerPort("c", "http", 8080, "TCP")))).get(0);
        assertThat(t.path()).isEqualTo("/clusters/prod/ns/web/pods/a/metrics");
        assertThat(t.labels()).containsEntry("instance", "10.0.0.1:8080");
        PodInfo noIp = new PodInfo("web", "c", "1", Map.of(), SCRAPE, List.of(), "Running", null, "node-1", true);
        assertThat(TargetBuilder.instance(noIp, null)).isEqualTo("c");
    }

    @Test
    void whyNotSaysWhatKeepsAPodFromBeingATarget() {
        ContainerPort metrics = new ContainerPort("c", "metrics", 9100, "TCP");
        assertThat(TargetBuilder.whyNot(cluster("annotated"), pod("a", SCRAPE, "Running", metrics))).isNull();
        assertThat(TargetBuilder.whyNot(cluster("annotated"), pod("a", Map.of(), "Running", metrics)))
                .isEqualTo("no prometheus.io/scrape: \"true\" annotation");
        assertThat(TargetBuilder.whyNot(cluster("annotated"), pod("a", SCRAPE, "Pending", metrics)))
                .isEqualTo("not running (phase Pending)");
        assertThat(TargetBuilder.whyNot(cluster("all"), pod("a", Map.of(), "Running",
                new ContainerPort("c", "http", 8080, "TCP")))).startsWith("no metrics port");
    }
}
