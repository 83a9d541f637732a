package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.sim.KubeSimServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's four kubelet endpoints and the API server's metrics through kubescrape against kube-sim, whose node proxy
 * refuses (and counts) every other kubelet path, as a least-privilege identity would be refused.
 */
class KubeletRoutesTest {
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(12);
    @RegisterExtension
    @Order(2)
    static final KubescrapeExtension KUBESCRAPE = KubescrapeExtension.against(SIM);

    private static String url(String path) {
        return KUBESCRAPE.url() + path;
    }

    @Test
    void eachKubeletEndpointServesThatNodesPods() throws Exception {
        HttpResponse<String> cadvisor = Harness.get(url("/clusters/kube-sim/nodes/node-1/metrics/cadvisor"));
        assertThat(cadvisor.statusCode()).isEqualTo(200);
        assertThat(cadvisor.body()).contains("# TYPE container_cpu_usage_seconds_total counter")
                .contains("container_cpu_usage_seconds_total{container=\"web\",cpu=\"total\"")
                .contains("namespace=\"default\",pod=\"web-0\"");
        assertThat(cadvisor.body()).as("web-1 runs on node-3").doesNotContain("pod=\"web-1\"");
        assertThat(cadvisor.body().length()).as("a realistic cAdvisor body: hundreds of KB for a few pods")
                .isGreaterThan(100_000);

        HttpResponse<String> kubelet = Harness.get(url("/clusters/kube-sim/nodes/node-1/metrics"));
        assertThat(kubelet.statusCode()).isEqualTo(200);
        assertThat(kubelet.body()).contains("kubelet_node_name{node=\"node-1\"} 1").contains("kubelet_running_pods ");
        assertThat(Harness.get(url("/clusters/kube-sim/nodes/node-2/metrics/resource")).body())
                .contains("node_cpu_usage_seconds_total").contains("pod=\"api-0\"");
        assertThat(Harness.get(url("/clusters/kube-sim/nodes/node-3/metrics/probes")).body())
                .contains("prober_probe_total{container=\"web\",namespace=\"monitoring\",pod=\"web-1\"");

        HttpResponse<String> missing = Harness.get(url("/clusters/kube-sim/nodes/node-9/metrics"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("nodes \"node-9\" not found");
        assertThat(missing.headers().firstValue("X-Kubescrape-Outcome")).as("a node, not a pod, is missing")
                .hasValue("unknown_node");
        HttpResponse<String> gonePod = Harness.get(url("/clusters/kube-sim/ns/default/pods/web-99/metrics"));
        assertThat(gonePod.headers().firstValue("X-Kubescrape-Outcome")).hasValue("unknown_pod");
    }

    @Test
    void theApiServersMetricsNameTheConnectionThatAnswered() throws Exception {
        HttpResponse<String> r = Harness.get(url("/clusters/kube-sim/apiserver/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("apiserver_request_total{").contains("resource=\"pods\"");
        URI sim = URI.create(SIM.server().url());
        assertThat(r.headers().firstValue("X-Kubescrape-Apiserver-Address"))
                .hasValue("127.0.0.1:" + sim.getPort());
    }

    @Test
    void faultNodesFailAsTheirKubeletsDo() throws Exception {
        HttpResponse<String> notReady = Harness.get(url("/clusters/kube-sim/nodes/notready-node/metrics"));
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("X-Kubescrape-Outcome")).hasValue("pod_unreachable");
        assertThat(notReady.body()).contains("could not reach node notready-node's kubelet")
                .contains("no route to host");
        HttpResponse<String> slow = Harness.get(url("/clusters/kube-sim/nodes/slow-node/metrics"),
                "X-Prometheus-Scrape-Timeout-Seconds", "1");
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThatThrownBy(() -> Harness.get(url("/clusters/kube-sim/nodes/reset-node/metrics/cadvisor")))
                .as("a body that breaks off never looks complete").isInstanceOf(IOException.class);
        Harness.awaitWithin(5000, () -> KUBESCRAPE.server().metrics().registry()
                .find("kubescrape.scrape.duration").tags("outcome", "truncated", "role", "node").timer() != null);
    }

    /** Every kubelet handler a scrape must never reach, spelled every way a path can hide it. */
    @Test
    void noOtherKubeletPathEverReachesTheApiServer() throws Exception {
        List<String> rests = new ArrayList<>();
        for (String handler : List.of("exec/default/web-0/web?command=id&stdout=1", "run/default/web-0/web",
                "attach/default/web-0/web", "portForward/default/web-0", "containerLogs/default/web-0/web",
                "logs/", "logs/syslog", "pods", "runningpods/", "configz", "debug/pprof/profile", "debug/pprof/",
                "stats/summary", "stats/", "spec/", "checkpoint/default/web-0/web", "healthz", "")) {
            rests.add(handler);
            rests.add(handler.toUpperCase());
            rests.add("metrics/../" + handler);
            rests.add("metrics/cadvisor/../../" + handler);
            rests.add("metrics/%2e%2e/" + handler);
            rests.add("metrics%2f..%2f" + handler);
            rests.add("metrics/" + handler);
            rests.add("./" + handler);
            rests.add("/" + handler);
        }
        rests.addAll(List.of("Metrics", "metrics/", "metrics/Cadvisor", "metrics/cadvisor/", "metrics//cadvisor",
                "metrics/cadvisor?x=1", "metrics;/cadvisor", "metrics/resource/v1alpha1", "metrics/probes/extra",
                "metrics/cadvisor%3Fpath=/exec", "%6detrics"));
        int refused = 0;
        for (String rest : rests) {
            for (String node : List.of("node-1", "node-1:10250", "https:node-1:10250", "NODE-1")) {
                String path = "/clusters/kube-sim/nodes/" + node + "/" + rest;
                int status;
                try {
                    status = Harness.get(url(path)).statusCode();
                } catch (IllegalArgumentException unsendable) {
                    continue; // java.net.http will not even send it
                }
                assertThat(status).as(path).isIn(400, 404);
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(500);
        // An Upgrade on a served path never goes up either: the relay drops it.
        int port = URI.create(KUBESCRAPE.url()).getPort();
        assertThat(Harness.exchange(port, "GET /clusters/kube-sim/nodes/node-1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n"))
                .startsWith("HTTP/1.1 200");

        KubeSimServer sim = SIM.server();
        assertThat(sim.refusedKubeletRequests()).as("requests the kubelet would have refused").isZero();
        assertThat(sim.kubeletRequests().keySet()).as("only the four endpoints were ever asked for")
                .allSatisfy(k -> assertThat(k.substring(k.indexOf(' ') + 1))
                        .isIn("/metrics", "/metrics/cadvisor", "/metrics/resource", "/metrics/probes"));
    }
}
