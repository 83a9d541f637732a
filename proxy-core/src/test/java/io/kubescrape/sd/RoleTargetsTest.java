package io.kubescrape.sd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.EndpointSliceInfo;
import io.kubescrape.discovery.NodeInfo;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.route.TargetRole;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The targets of the other roles and the /sd filters that pick them. */
class RoleTargetsTest {
    private static final ClusterSpec SPEC = new ClusterSpec("prod", URI.create("https://api.prod:6443"), "test",
            new TlsSettings(null, false, null, null, null), new CredentialSpec("t", null), ScrapeSettings.BUILTIN,
            UpstreamSettings.BUILTIN, DiscoverySettings.BUILTIN);
    private static final Map<String, String> SCRAPED = Map.of("prometheus.io/scrape", "true", "prometheus.io/port",
            "9102");

    private static PodInfo pod(String name, Map<String, String> labels) {
        return new PodInfo("web", name, "1", labels, Map.of("prometheus.io/scrape", "true"),
                List.of(new ContainerPort("c", "metrics", 9100, "TCP")), "Running", "10.0.0.7", "n1", true);
    }

    @Test
    void aNodeIsOneTargetPerKubeletEndpointWithItsLabelsAndAddresses() {
        NodeInfo node = new NodeInfo("n1", "5", Map.of("topology.kubernetes.io/zone", "a"), Map.of(),
                Map.of("InternalIP", "10.0.1.7", "Hostname", "n1"), false);
        List<ScrapeTarget> t = ClusterWideTargets.nodes(SPEC, List.of(node));
        assertThat(t).extracting(ScrapeTarget::endpoint).containsExactly("kubelet", "cadvisor", "resource", "probes");
        assertThat(t).extracting(ScrapeTarget::namespace).containsOnlyNulls();
        Map<String, String> labels = t.get(1).labels();
        assertThat(labels).containsEntry("__metrics_path__", "/clusters/prod/nodes/n1/metrics/cadvisor")
                .containsEntry("instance", "n1").containsEntry("node", "n1")
                .containsEntry("__meta_kubescrape_node_address_InternalIP", "10.0.1.7")
                .containsEntry("__meta_kubescrape_node_label_topology_kubernetes_io_zone", "a")
                .containsEntry("__meta_kubescrape_node_ready", "false").containsEntry("__meta_kubescrape_role", "node");
        assertThat(ClusterWideTargets.apiServer(SPEC).labels()).containsEntry("instance", "api.prod:6443")
                .containsEntry("__metrics_path__", "/clusters/prod/apiserver/metrics");
    }

    @Test
    void podTargetsNameOneSelectingServiceWithItsLabelsOrSeveralAsATagList() {
        ServiceInfo web = new ServiceInfo("web", "web", "1", Map.of("tier", "front"), Map.of(), Map.of("app", "web"));
        ServiceInfo all = new ServiceInfo("web", "all", "1", Map.of(), Map.of(), Map.of("team", "a"));
        ServiceInfo elsewhere = new ServiceInfo("other", "web", "1", Map.of(), Map.of(), Map.of("app", "web"));
        PodInfo one = pod("web-0", Map.of("app", "web"));
        PodInfo two = pod("web-1", Map.of("app", "web", "team", "a"));
        List<ScrapeTarget> t = TargetBuilder.build(SPEC, List.of(one, two),
                new ServiceIndex(List.of(web, all, elsewhere)));
        assertThat(t.get(0).labels()).containsEntry("__meta_kubescrape_service_name", "web")
                .containsEntry("__meta_kubescrape_service_label_tier", "front");
        assertThat(t.get(1).labels()).containsEntry("__meta_kubescrape_service_name", ",all,web,")
                .doesNotContainKey("__meta_kubescrape_service_label_tier");
    }

    @Test
    void onlyReadyPodEndpointsOfAnnotatedServicesAreTargetsOncePerPodAndPort() {
        ServiceInfo api = new ServiceInfo("web", "api", "1", Map.of(), SCRAPED, Map.of("app", "api"));
        ServiceInfo quiet = new ServiceInfo("web", "quiet", "1", Map.of(), Map.of(), Map.of("app", "quiet"));
        List<EndpointSliceInfo.Port> ports = List.of(new EndpointSliceInfo.Port("http", 8080, "TCP"));
        EndpointSliceInfo a = new EndpointSliceInfo("web", "api-1", "1", "api", ports, List.of(
                new EndpointSliceInfo.Endpoint("api-0", true, "n1"), new EndpointSliceInfo.Endpoint("api-1", false, "n1"),
                new EndpointSliceInfo.Endpoint(null, true, "n1")));
        EndpointSliceInfo again = new EndpointSliceInfo("web", "api-2", "1", "api", ports,
                List.of(new EndpointSliceInfo.Endpoint("api-0", true, "n1")));
        EndpointSliceInfo q = new EndpointSliceInfo("web", "quiet-1", "1", "quiet", ports,
                List.of(new EndpointSliceInfo.Endpoint("quiet-0", true, "n2")));
        List<ScrapeTarget> t = EndpointTargets.build(SPEC, List.of(api, quiet), List.of(a, again, q), null);
        assertThat(t).extracting(ScrapeTarget::path)
                .containsExactly("/clusters/prod/ns/web/services/api/pods/api-0:9102/metrics");
        assertThat(t.get(0).role()).isEqualTo(TargetRole.ENDPOINTS);
        assertThat(t.get(0).labels()).containsEntry("service", "api").containsEntry("pod", "api-0")
                .containsEntry("__meta_kubescrape_endpoint_node_name", "n1");
    }

    @Test
    void sdTakesRolesAndEndpointsRepeatedOrCommaSeparatedAndRefusesOthers() {
        SdQuery q = SdQuery.parse(Map.of("role", List.of("node,apiserver", "pod"), "endpoint", List.of("cadvisor")));
        assertThat(q.roles()).isEqualTo(Set.of(TargetRole.NODE, TargetRole.APISERVER, TargetRole.POD));
        assertThat(q.endpoints()).containsExactly("cadvisor");
        assertThat(SdQuery.parse(Map.of()).roles()).as("pods without role=, as before").containsExactly(TargetRole.POD);
        assertThatThrownBy(() -> SdQuery.parse(Map.of("role", List.of("nodes"))))
                .hasMessageContaining("role \"nodes\" is not one of");
        assertThatThrownBy(() -> SdQuery.parse(Map.of("endpoint", List.of("exec"))))
                .hasMessageContaining("endpoint \"exec\"");
        ScrapeTarget cadvisor = ClusterWideTargets.nodes(SPEC, List.of(new NodeInfo("n1", "1", Map.of(), Map.of(),
                Map.of(), true))).get(1);
        assertThat(SdQuery.parse(Map.of("role", List.of("node"), "namespace", List.of("web"))).matches(cadvisor))
                .as("a node is in no namespace").isFalse();
    }
}
