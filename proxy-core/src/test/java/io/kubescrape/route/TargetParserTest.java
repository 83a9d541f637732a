package io.kubescrape.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetParserTest {

    @Test
    void parsesPlainTarget() {
        Target t = TargetParser.parse("/clusters/prod/ns/web/pods/web-0/metrics");
        assertThat(t).isEqualTo(new Target("prod", "web", "web-0", null));
        assertThat(t.path()).isEqualTo("/clusters/prod/ns/web/pods/web-0/metrics");
    }

    @Test
    void parsesNumericAndNamedPorts() {
        assertThat(TargetParser.parse("/clusters/prod/ns/web/pods/web-0:9102/metrics").port())
                .isEqualTo(PortRef.of(9102));
        assertThat(TargetParser.parse("/clusters/prod/ns/web/pods/web-0:http-metrics/metrics").port())
                .isEqualTo(PortRef.named("http-metrics"));
    }

    @Test
    void acceptsDottedPodNamesAndKubeconfigStyleClusterNames() {
        Target t = TargetParser.parse("/clusters/admin@kind-dev/ns/kube-system/pods/etcd.node-1.local/metrics");
        assertThat(t.cluster()).isEqualTo("admin@kind-dev");
        assertThat(t.pod()).isEqualTo("etcd.node-1.local");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/clusters/prod/ns/web/pods/web-0/metrics/",
        "/clusters/prod/ns/web/pods/web-0/metrics/extra",
        "/clusters/prod/ns/web/pods/web-0",
        "/clusters/prod/ns/web/pods/web-0/proxy",
        "/clusters/prod/ns/web/pods/../../secrets/metrics",
        "/clusters/prod/ns/../pods/web-0/metrics",
        "/clusters/prod/ns/web/pods/..%2f..%2fsecrets/metrics",
        "/clusters/prod/ns/web/pods/web-0%2Fproxy/metrics",
        "/clusters/prod/ns/web/pods/web%2d0/metrics",
        "/clusters/prod/ns/web/pods/web-0%252F/metrics",
        "/clusters/prod/ns/web/pods/web-0/metrics?path=/api/v1/secrets",
        "/clusters/prod/ns/web/pods/web-0/metrics#frag",
        "/clusters/prod/ns/web/pods/web-0;x=y/metrics",
        "/clusters/prod/ns/web/pods/web\\0/metrics",
        "/clusters/prod/ns/web/pods/web-0\u0000/metrics",
        "/clusters/prod/ns/web/pods/web-0\r\nHost: evil/metrics",
        "/clusters/prod/ns/web/pods/WEB-0/metrics",
        "/clusters/prod/ns/Web/pods/web-0/metrics",
        "/clusters/prod/ns/web/pods/-web/metrics",
        "/clusters/prod/ns/web/pods/web-0:0/metrics",
        "/clusters/prod/ns/web/pods/web-0:65536/metrics",
        "/clusters/prod/ns/web/pods/web-0:09102/metrics",
        "/clusters/prod/ns/web/pods/web-0:-1/metrics",
        "/clusters/prod/ns/web/pods/web-0:/metrics",
        "/clusters/prod/ns/web/pods/web-0:a:b/metrics",
        "/clusters/prod/ns/web/pods/web-0:http--metrics/metrics",
        "/clusters/prod/ns/web/pods/web-0:verylongportname1/metrics",
        "/clusters/prod/ns/web/pods/https:web-0:443/metrics",
        "/clusters/prod/ns/web/pods//metrics",
        "/clusters//ns/web/pods/web-0/metrics",
        "/clusters/.prod/ns/web/pods/web-0/metrics",
        "/clusters/pr od/ns/web/pods/web-0/metrics",
        "/clusters/prod/ns/web/pods/w\u00e9b/metrics",
        "/clusters/prod/ns/web/pods/web-0\u00c0\u00af/metrics",
        "/clusters/prod/namespaces/web/pods/web-0/metrics",
        "/clusters/prod/ns/web/services/web-0/metrics",
        "/clusters",
        "/clusters/",
    })
    void rejectsHostilePathsWith400(String path) {
        assertThatThrownBy(() -> TargetParser.parse(path))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ScrapeOutcome.INVALID_TARGET));
    }

    @Test
    void rejectsOverlongNames() {
        String ns = "a".repeat(64);
        assertThatThrownBy(() -> TargetParser.parse("/clusters/p/ns/" + ns + "/pods/x/metrics"))
                .hasMessageContaining("namespace");
        String pod = ("a".repeat(60) + ".").repeat(5) + "a";
        assertThatThrownBy(() -> TargetParser.parse("/clusters/p/ns/web/pods/" + pod + "/metrics"))
                .hasMessageContaining("pod");
    }

    @Test
    void explainsQueryStringRefusal() {
        assertThatThrownBy(() -> TargetParser.parse("/clusters/p/ns/web/pods/x/metrics?a=b"))
                .hasMessageContaining("query strings are not forwarded");
    }

    @Test
    void recognisesScrapePathsOnly() {
        assertThat(TargetParser.isScrapePath("/clusters/x")).isTrue();
        assertThat(TargetParser.isScrapePath("/metrics")).isFalse();
        assertThat(TargetParser.isScrapePath("/clustersx")).isFalse();
    }
}
