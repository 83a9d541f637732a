package io.kubescrape.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading what real API servers send: a PodList page and a watch stream ending in 410, into the store. */
class DiscoveryJsonTest {
    @Test
    void readsAPagedPodList() throws Exception {
        ListJson.Page<PodInfo> page = ListJson.read(new ByteArrayInputStream(Fixtures.bytes("k8s/podlist-page1.json")),
                PodKind.INSTANCE);
        assertThat(page.items()).hasSize(2);
        assertThat(page.continueToken()).isNotBlank();
        assertThat(page.resourceVersion()).isNotBlank();
        assertThat(page.items().get(0).ports()).isNotEmpty();
    }

    @Test
    void readsAWatchStreamAndItsExpiry() throws Exception {
        List<String> lines = new String(Fixtures.bytes("k8s/watch-events.jsonl"), StandardCharsets.UTF_8).lines().toList();
        List<WatchEvent<PodInfo>> events = lines.stream().map(l -> {
            try {
                return WatchEvent.parse(l.getBytes(StandardCharsets.UTF_8), PodKind.INSTANCE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(events).extracting(WatchEvent<PodInfo>::type).contains("ADDED", "BOOKMARK", "DELETED", "ERROR");
        WatchEvent<PodInfo> bookmark = events.stream().filter(e -> e.type().equals("BOOKMARK")).findFirst().orElseThrow();
        assertThat(bookmark.resourceVersion()).isNotBlank();
        assertThat(bookmark.item()).isNull();
        WatchEvent<PodInfo> error = events.get(events.size() - 1);
        assertThat(error.isError()).isTrue();
        assertThat(error.errorCode()).isEqualTo(410);

        assertThat(events).extracting(WatchEvent<PodInfo>::resourceVersion).containsExactly("1007", "1007", "1008", "1008",
                null);

        ClusterPods store = new ClusterPods(List.of(""));
        store.apply(events.get(0));
        assertThat(store.get("default", "new-0")).isNotNull();
        long afterAdd = store.generation();
        store.apply(events.get(1));
        assertThat(store.generation()).as("a bookmark changes nothing").isEqualTo(afterAdd);
        store.apply(events.get(2));
        assertThat(store.get("default", "new-0")).isNull();
    }

    @Test
    void anObjectBeforeItsTypeIsStillRead() throws Exception {
        String pod = new String(Fixtures.bytes("k8s/pod.json"), StandardCharsets.UTF_8);
        WatchEvent<PodInfo> e = WatchEvent.parse(("{\"object\":" + pod + ",\"type\":\"MODIFIED\"}")
                .getBytes(StandardCharsets.UTF_8), PodKind.INSTANCE);
        assertThat(e.type()).isEqualTo("MODIFIED");
        assertThat(e.item().name()).isEqualTo("web-0");
    }

    @Test
    void readsARealNodeAndItsAddressesAndReadiness() throws Exception {
        ListJson.Page<NodeInfo> page = ListJson.read(new ByteArrayInputStream(("{\"kind\":\"NodeList\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[" + new String(Fixtures.bytes("k8s/node.json"),
                StandardCharsets.UTF_8) + "]}").getBytes(StandardCharsets.UTF_8)), NodeKind.INSTANCE);
        NodeInfo n = page.items().get(0);
        assertThat(n.name()).isEqualTo("node-1");
        assertThat(n.ready()).isTrue();
        assertThat(n.addresses()).containsEntry("InternalIP", "10.0.1.17").containsEntry("Hostname", "node-1");
        assertThat(n.labels()).containsEntry("topology.kubernetes.io/zone", "eu-west-1a");
        assertThat(NodeKind.INSTANCE.problem(n)).isNull();
        assertThat(NodeKind.INSTANCE.key(n)).isEqualTo("node-1");
        assertThat(NodeKind.INSTANCE.collectionPath("")).isEqualTo("/api/v1/nodes");
    }

    @Test
    void readsARealServiceAndEndpointSlice() throws Exception {
        ServiceInfo svc = read(ServiceKind.INSTANCE, "k8s/service.json");
        assertThat(svc.name()).isEqualTo("web");
        assertThat(svc.selector()).containsExactly(Map.entry("app", "web"));
        assertThat(svc.annotation("prometheus.io/port")).isEqualTo("9100");
        assertThat(svc.selects(pod("default", "x"))).as("no app label").isFalse();

        EndpointSliceInfo slice = read(EndpointSliceKind.INSTANCE, "k8s/endpointslice.json");
        assertThat(slice.serviceName()).isEqualTo("web");
        assertThat(slice.ports()).extracting(EndpointSliceInfo.Port::port).containsExactly(8080, 9100);
        assertThat(slice.endpoints()).extracting(EndpointSliceInfo.Endpoint::pod).containsExactly("web-0", "web-1");
        assertThat(slice.endpoints()).extracting(EndpointSliceInfo.Endpoint::ready).containsExactly(true, false);
        assertThat(EndpointSliceKind.INSTANCE.key(slice)).isEqualTo("default/web-x7k2p");
        assertThat(EndpointSliceKind.INSTANCE.collectionPath("web"))
                .isEqualTo("/apis/discovery.k8s.io/v1/namespaces/web/endpointslices");
    }

    private static <T> T read(ObjectKind<T> kind, String fixture) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(Fixtures.bytes(fixture))) {
            p.nextToken();
            return kind.read(p);
        }
    }

    @Test
    void aListOfTheWrongKindIsRefused() {
        assertThatThrownBy(() -> ListJson.read(new ByteArrayInputStream(
                Fixtures.bytes("k8s/podlist-page1.json")), NodeKind.INSTANCE)).hasMessageContaining("expected kind NodeList");
    }

    @Test
    void theStoreKeepsPodsThroughFailuresAndRelistsReplaceOnlyTheirScope() throws Exception {
        PodInfo a = pod("a", "x");
        PodInfo b = pod("b", "y");
        ClusterPods store = new ClusterPods(List.of("a", "b"));
        List<Long> changes = new ArrayList<>();
        store.onChange(() -> changes.add(store.generation()));
        assertThat(store.health()).isEqualTo(ClusterPods.Health.SYNCING);
        store.replaceScope("a", Map.of("a/x", a));
        store.scopeFailed("b", "connection refused");
        assertThat(store.health()).isEqualTo(ClusterPods.Health.ERROR);
        assertThat(store.firstListDone()).isTrue();
        store.replaceScope("b", Map.of("b/y", b));
        assertThat(store.health()).isEqualTo(ClusterPods.Health.SYNCED);
        store.scopeFailed("a", "watch broke");
        assertThat(store.health()).isEqualTo(ClusterPods.Health.STALE);
        assertThat(store.size()).as("an outage keeps every pod").isEqualTo(2);
        store.replaceScope("a", Map.of());
        assertThat(store.get("a", "x")).isNull();
        assertThat(store.get("b", "y")).as("another scope's relist leaves this one").isNotNull();
        assertThat(changes).hasSize(3);
    }

    private static PodInfo pod(String ns, String name) {
        return new PodInfo(ns, name, "1", Map.of(), Map.of(), List.of(), "Running", "10.0.0.1", "n", true);
    }
}
