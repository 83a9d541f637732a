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
        assertThat(t).isEqualTo(new PodTarget("prod", "web", "web-0", null));
        assertThat(t.role()).isEqualTo(TargetRole.POD);
        assertThat(t.path()).isEqualTo("/clusters/prod/ns/web/pods/web-0/metrics");
    }

    @Test
    void parsesNumericAndNamedPorts() {
        assertThat(pod("/clusters/prod/ns/web/pods/web-0:9102/metrics").port())
                .isEqualTo(PortRef.of(9102));
        assertThat(pod("/clusters/prod/ns/web/pods/web-0:http-metrics/metrics").port())
                .isEqualTo(PortRef.named("http-metrics"));
    }

    @Test
    void acceptsDottedPodNamesAndKubeconfigStyleClusterNames() {
        PodTarget t = pod("/clusters/admin@kind-dev/ns/kube-system/pods/etcd.node-1.local/metrics");
        assertThat(t.cluster()).isEqualTo("admin@kind-dev");
        assertThat(t.pod()).isEqualTo("etcd.node-1.local");
    }

    private static PodTarget pod(String path) {
        return (PodTarget) TargetParser.parse(path);
    }

    @Test
    void parsesEachNodeEndpointAndTheApiServer() {
        assertThat(TargetParser.parse("/clusters/prod/nodes/ip-10-0-1-7.ec2.internal/metrics"))
                .isEqualTo(new NodeTarget("prod", "ip-10-0-1-7.ec2.internal", NodeEndpoint.KUBELET));
        for (NodeEndpoint e : NodeEndpoint.values()) {
            Target t = TargetParser.parse("/clusters/prod/nodes/node-1" + e.path());
            assertThat(t).isEqualTo(new NodeTarget("prod", "node-1", e));
            assertThat(t.path()).isEqualTo("/clusters/prod/nodes/node-1" + e.path());
            assertThat(t.role()).isEqualTo(TargetRole.NODE);
            assertThat(t.namespace()).as("a node spans every namespace").isNull();
        }
        Target api = TargetParser.parse("/clusters/prod/apiserver/metrics");
        assertThat(api).isEqualTo(new ApiServerTarget("prod"));
        assertThat(api.role()).isEqualTo(TargetRole.APISERVER);
        assertThat(api.namespace()).isNull();
    }

    /** The kubelet handlers behind the node proxy that a scrape must never reach, and spellings of them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "exec/default/web-0/app?command=id", "exec/default/web-0/app", "run/default/web-0/app", "attach/default/web-0/app",
        "portForward/default/web-0", "containerLogs/default/web-0/app", "logs/", "logs/syslog", "pods", "runningpods/",
        "configz", "debug/pprof/profile", "debug/pprof/", "stats/summary", "stats", "spec/", "checkpoint/default/web-0/app",
        "metrics/../exec/default/web-0/app", "metrics/cadvisor/../../exec", "metrics/%2e%2e/exec", "metrics%2fcadvisor",
        "Metrics", "METRICS/CADVISOR", "metrics/Cadvisor", "metrics/cadvisor/", "metrics/", "metrics/cadvisor/extra",
        "metrics/resource/v1alpha1", "metrics//cadvisor", "metrics/./cadvisor", "metrics;/cadvisor", "metrics/probes?x=1",
        "metrics/cadvisor#", "healthz", "", "metrics/exec", "metricsx", "proxy/metrics", "metrics\\cadvisor",
    })
    void refusesEveryOtherKubeletPath(String rest) {
        assertThatThrownBy(() -> TargetParser.parse("/clusters/prod/nodes/node-1/" + rest))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ScrapeOutcome.INVALID_TARGET));
    }

    @Test
    void explainsWhatANodeServes() {
        assertThatThrownBy(() -> TargetParser.parse("/clusters/prod/nodes/node-1/exec/default/web-0/app"))
                .hasMessageContaining("a node serves only /metrics, /metrics/cadvisor, /metrics/resource and "
                        + "/metrics/probes");
        assertThatThrownBy(() -> TargetParser.parse("/clusters/prod/nodes/Node-1/metrics"))
                .hasMessageContaining("node \"Node-1\" is not a valid DNS-1123 subdomain");
        assertThatThrownBy(() -> TargetParser.parse("/clusters/prod/apiserver/metrics/extra"))
                .hasMessageContaining("the API server's only route is /clusters/<cluster>/apiserver/metrics");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/clusters/prod/apiserver", "/clusters/prod/apiserver/", "/clusters/prod/apiserver/metrics/",
        "/clusters/prod/apiserver/api/v1/secrets", "/clusters/prod/apiserver/healthz", "/clusters/prod/apiserver/Metrics",
        "/clusters/prod/apiserver/metrics/../../api", "/clusters/prod/nodes", "/clusters/prod/nodes/",
        "/clusters/prod/nodes/-node/metrics", "/clusters/prod/nodes/node_1/metrics", "/clusters/prod/nodes//metrics",
        "/clusters/prod/nodes/..:10250/metrics", "/clusters/prod/nodes/node-1:10250/metrics",
        "/clusters/prod/nodes/https:node-1:10250/metrics", "/clusters/prod/node/node-1/metrics",
    })
    void refusesMalformedNodeAndApiServerPaths(String path) {
        assertThatThrownBy(() -> TargetParser.parse(path))
                .isInstanceOfSatisfying(ScrapeException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ScrapeOutcome.INVALID_TARGET));
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
