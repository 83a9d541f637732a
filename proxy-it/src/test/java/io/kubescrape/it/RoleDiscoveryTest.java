package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery of every role against kube-sim: nodes and the API server as targets in /sd (only when asked for with
 * role=) and in their own file_sd files, node changes within seconds, and a role without its permission failing
 * alone.
 */
class RoleDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    @Order(1)
    static final KubeSimExtension SIM = KubeSimExtension.pods(10);

    private static Harness.Running start(String name) throws Exception {
        Path cfg = Files.writeString(SIM.dir().resolve(name + ".yaml"), """
                kubeconfigs: [{path: kubeconfig}]
                file_sd: %s
                cluster_defaults: {discovery: {roles: [pod, node, apiserver]}}
                """.formatted(SIM.dir().resolve(name + ".json")));
        return Harness.startWithConfig(cfg);
    }

    private static List<JsonNode> groups(String url) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(Harness.get(url).body()).forEach(out::add);
        return out;
    }

    private static void awaitReady(String url) throws Exception {
        Harness.awaitWithin(15_000, () -> Harness.get(url + "/-/ready").statusCode() == 200);
    }

    @Test
    void nodesAndApiServersAreTargetsOnlyWhenAskedFor() throws Exception {
        try (Harness.Running ks = start("roles")) {
            awaitReady(ks.url());
            List<JsonNode> pods = groups(ks.url() + "/sd");
            assertThat(pods).isNotEmpty().allSatisfy(g ->
                    assertThat(g.at("/labels/__meta_kubescrape_role").asText()).isEqualTo("pod"));

            List<JsonNode> nodes = groups(ks.url() + "/sd?role=node&cluster=kube-sim");
            assertThat(nodes).as("6 nodes (3 regular, 3 fault) x 4 endpoints").hasSize(6 * 4);
            JsonNode cadvisor = nodes.stream().filter(g -> g.at("/labels/__metrics_path__").asText()
                    .equals("/clusters/kube-sim/nodes/node-1/metrics/cadvisor")).findFirst().orElseThrow();
            assertThat(cadvisor.at("/labels/instance").asText()).isEqualTo("node-1");
            assertThat(cadvisor.at("/labels/node").asText()).isEqualTo("node-1");
            assertThat(cadvisor.at("/labels/__meta_kubescrape_endpoint").asText()).isEqualTo("cadvisor");
            assertThat(cadvisor.at("/labels/__meta_kubescrape_node_address_InternalIP").asText()).isEqualTo("192.168.0.1");
            assertThat(cadvisor.at("/labels/__meta_kubescrape_node_ready").asText()).isEqualTo("true");
            assertThat(cadvisor.at("/labels/__meta_kubescrape_node_label_topology_kubernetes_io_zone").asText())
                    .startsWith("eu-west-1");
            assertThat(groups(ks.url() + "/sd?role=node&cluster=kube-sim&endpoint=cadvisor,probes")).hasSize(6 * 2);

            List<JsonNode> both = groups(ks.url() + "/sd?role=apiserver&role=pod&cluster=kube-sim");
            assertThat(both).hasSize(pods.size() / 2 + 1);
            JsonNode api = both.stream().filter(g -> g.at("/labels/__meta_kubescrape_role").asText().equals("apiserver"))
                    .findFirst().orElseThrow();
            assertThat(api.at("/labels/__metrics_path__").asText()).isEqualTo("/clusters/kube-sim/apiserver/metrics");

            assertThat(Harness.get(ks.url() + "/sd?role=nodes").statusCode()).isEqualTo(400);
            assertThat(Harness.get(ks.url() + "/sd?role=node&endpoint=exec").body())
                    .contains("endpoint \"exec\" is not one of kubelet, cadvisor, resource, probes");

            // Every published node target scrapes (or fails as its fault node does).
            for (JsonNode g : groups(ks.url() + "/sd?role=node,apiserver&cluster=kube-sim&endpoint=kubelet")) {
                String path = g.at("/labels/__metrics_path__").asText();
                if (!path.contains("slow-node") && !path.contains("reset-node") && !path.contains("notready")) {
                    assertThat(Harness.get(ks.url() + path).statusCode()).as(path).isEqualTo(200);
                }
            }

            Harness.get(ks.url() + "/clusters/kube-sim/nodes/node-2/metrics/cadvisor");
            String page = Harness.get(ks.url() + "/ui/clusters/kube-sim").body();
            assertThat(page).as("the browse page lists the nodes with each endpoint's last scrape")
                    .contains("<table id=\"nodes\">").containsPattern("node-2</td>.*?200 success.*?</tr>")
                    .contains("API server: <a href=\"/ui/clusters/kube-sim/apiserver/metrics\">view</a>");

            Path dir = SIM.dir();
            Harness.awaitWithin(10_000, () -> Files.exists(dir.resolve("roles-node.json"))
                    && Files.exists(dir.resolve("roles-apiserver.json")) && Files.exists(dir.resolve("roles.json")));
            assertThat(JSON.readTree(Files.readString(dir.resolve("roles-node.json"))).size()).isEqualTo(2 * 6 * 4);
            assertThat(JSON.readTree(Files.readString(dir.resolve("roles-apiserver.json"))).size()).isEqualTo(2);
            Set<String> roles = new TreeSet<>();
            JSON.readTree(Files.readString(dir.resolve("roles.json")))
                    .forEach(g -> roles.add(g.at("/labels/__meta_kubescrape_role").asText()));
            assertThat(roles).as("the configured file keeps only pods, as before").containsExactly("pod");
        }
    }

    @Test
    void aRoleWithoutItsPermissionFailsAloneAndRecovers() throws Exception {
        SIM.server().forbidLists("nodes", true);
        try (Harness.Running ks = start("forbidden")) {
            awaitReady(ks.url());
            assertThat(groups(ks.url() + "/sd?role=pod")).as("pods go on").isNotEmpty();
            assertThat(groups(ks.url() + "/sd?role=node")).isEmpty();
            Harness.awaitWithin(5000, () -> MetricsText.sum(MetricsText.of(ks.url()),
                    "kubescrape_discovery_watch_restarts_total", "role", "node", "reason", "forbidden") > 0);
            String page = Harness.get(ks.url() + "/ui/clusters/kube-sim").body();
            assertThat(page).contains("degraded: node discovery is error")
                    .contains("kubescrape&#39;s identity needs list and watch on nodes (a ClusterRole)");

            SIM.server().forbidLists("nodes", false);
            Harness.awaitWithin(40_000, () -> groups(ks.url() + "/sd?role=node&cluster=kube-sim").size() == 24);
            assertThat(Harness.get(ks.url() + "/ui/clusters/kube-sim").body()).doesNotContain("degraded");
        } finally {
            SIM.server().forbidLists("nodes", false);
        }
    }

    @Test
    void aNodeThatJoinsIsATargetWithinSeconds() throws Exception {
        try (Harness.Running ks = start("joins")) {
            awaitReady(ks.url());
            long t0 = System.nanoTime();
            SIM.server().addNode(4);
            Harness.awaitWithin(2000, () -> groups(ks.url() + "/sd?role=node&cluster=kube-sim").stream()
                    .anyMatch(g -> g.at("/labels/node").asText().equals("node-4")));
            System.out.printf("[measure] a new node in /sd after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(SIM.server().deleteNode("node-4")).isTrue();
            Harness.awaitWithin(2000, () -> groups(ks.url() + "/sd?role=node&cluster=kube-sim").stream()
                    .noneMatch(g -> g.at("/labels/node").asText().equals("node-4")));
        }
    }
}
