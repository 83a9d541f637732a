package io.kubescrape.resolve;

import io.kubescrape.route.PortRef;
import io.kubescrape.route.PodTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortResolverTest {
    private static final ScrapeSettings DEFAULTS = ScrapeSettings.BUILTIN;

    private static PodInfo pod(Map<String, String> annotations, ContainerPort... ports) {
        return new PodInfo("web", "web-0", "1", Map.of(), annotations, List.of(ports), "Running", "10.0.0.1", "n1",
                true);
    }

    private static PodTarget target(PortRef port) {
        return new PodTarget("prod", "web", "web-0", port);
    }

    private static final ContainerPort METRICS = new ContainerPort("app", "metrics", 9100, "TCP");
    private static final ContainerPort HTTP = new ContainerPort("app", "http", 8080, "TCP");

    @Test
    void urlPortWinsOverEverything() {
        PodInfo p = pod(Map.of("prometheus.io/port", "9999"), METRICS);
        assertThat(PortResolver.resolve(target(PortRef.of(7000)), p, DEFAULTS).port()).isEqualTo(7000);
        assertThat(PortResolver.resolve(target(PortRef.named("http")), pod(Map.of(), METRICS, HTTP), DEFAULTS)
                .port()).isEqualTo(8080);
    }

    @Test
    void annotationBeatsNamedMetricsPort() {
        PodInfo p = pod(Map.of("prometheus.io/port", "9999"), METRICS);
        assertThat(PortResolver.resolve(target(null), p, DEFAULTS).port()).isEqualTo(9999);
        PodInfo named = pod(Map.of("prometheus.io/port", "http"), METRICS, HTTP);
        assertThat(PortResolver.resolve(target(null), named, DEFAULTS).port()).isEqualTo(8080);
    }

    @Test
    void namedMetricsPortThenClusterDefault() {
        assertThat(PortResolver.resolve(target(null), pod(Map.of(), HTTP, METRICS), DEFAULTS).port()).isEqualTo(9100);
        ScrapeSettings custom = new ScrapeSettings("http", 9102, null, null, null).orElse(DEFAULTS);
        assertThat(PortResolver.resolve(target(null), pod(Map.of(), HTTP, METRICS), custom).port()).isEqualTo(8080);
        assertThat(PortResolver.resolve(target(null), pod(Map.of()), custom).port()).isEqualTo(9102);
    }

    @Test
    void nothingToResolveIsAClearError() {
        assertThatThrownBy(() -> PortResolver.resolve(target(null), pod(Map.of(), HTTP), DEFAULTS))
                .isInstanceOfSatisfying(ScrapeException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(ScrapeOutcome.UNRESOLVED_PORT);
                    assertThat(e.getMessage()).contains("prometheus.io/port").contains("web/web-0");
                });
        assertThatThrownBy(() -> PortResolver.resolve(target(PortRef.named("nope")), pod(Map.of(), HTTP), DEFAULTS))
                .hasMessageContaining("names port \"nope\"");
        assertThatThrownBy(() -> PortResolver.resolve(target(null), pod(Map.of("prometheus.io/port", "x y")),
                DEFAULTS)).hasMessageContaining("prometheus.io/port");
    }

    @Test
    void schemeAndPathFromAnnotations() {
        PodInfo p = pod(Map.of("prometheus.io/scheme", "https", "prometheus.io/path", "/stats/prometheus"), METRICS);
        ScrapeEndpoint e = PortResolver.resolve(target(null), p, DEFAULTS);
        assertThat(e).isEqualTo(new ScrapeEndpoint("https", 9100, "/stats/prometheus"));
        assertThat(UpstreamPaths.podProxy(target(null), e))
                .isEqualTo("/api/v1/namespaces/web/pods/https:web-0:9100/proxy/stats/prometheus");
        assertThat(UpstreamPaths.podProxy(target(null), new ScrapeEndpoint("http", 9100, "/metrics")))
                .isEqualTo("/api/v1/namespaces/web/pods/web-0:9100/proxy/metrics");
    }

    @Test
    void hostileAnnotationPathsAreRefused() {
        for (String bad : new String[] {"/../../api/v1/secrets", "/metrics?path=/x", "metrics", "/a/%2e%2e/b",
                "/a//b", "/a b"}) {
            PodInfo p = pod(Map.of("prometheus.io/path", bad), METRICS);
            assertThatThrownBy(() -> PortResolver.resolve(target(null), p, DEFAULTS))
                    .as(bad).isInstanceOf(ScrapeException.class);
        }
    }

    @Test
    void allowedPathsLimitWhatPodsMayAskFor() {
        ScrapeSettings strict = new ScrapeSettings(null, null, null, null, List.of("/metrics")).orElse(DEFAULTS);
        PodInfo p = pod(Map.of("prometheus.io/path", "/debug/pprof"), METRICS);
        assertThatThrownBy(() -> PortResolver.resolve(target(null), p, strict))
                .hasMessageContaining("allowed_paths");
        assertThat(PortResolver.resolve(target(null), pod(Map.of(), METRICS), strict).path()).isEqualTo("/metrics");
    }
}
