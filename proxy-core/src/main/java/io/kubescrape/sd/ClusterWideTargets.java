package io.kubescrape.sd;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.NodeInfo;
import io.kubescrape.route.ApiServerTarget;
import io.kubescrape.route.NodeEndpoint;
import io.kubescrape.route.NodeTarget;
import io.kubescrape.route.TargetRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets that span a cluster: each node's four kubelet endpoints (role {@code node}, one target per endpoint,
 * so a job keeps the ones it wants with {@code ?endpoint=} or {@code __meta_kubescrape_endpoint}) and the API
 * server's own metrics (role {@code apiserver}). Labels follow kubernetes_sd's node role: {@code instance} is the
 * node's name.
 */
final class ClusterWideTargets {
    private static final String META = "__meta_kubescrape_node_";

    private ClusterWideTargets() {
    }

    static List<ScrapeTarget> nodes(ClusterSpec spec, Iterable<NodeInfo> nodes) {
        List<ScrapeTarget> out = new ArrayList<>();
        for (NodeInfo node : nodes) {
            for (NodeEndpoint e : NodeEndpoint.values()) {
                out.add(node(spec, node, e));
            }
        }
        return out;
    }

    private static ScrapeTarget node(ClusterSpec spec, NodeInfo node, NodeEndpoint endpoint) {
        String path = new NodeTarget(spec.name(), node.name(), endpoint).path();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__metrics_path__", path);
        labels.put("cluster", spec.name());
        labels.put("node", node.name());
        labels.put("instance", node.name());
        labels.put(META + "name", node.name());
        node.labels().forEach((k, v) -> labels.put(META + "label_" + LabelNames.sanitize(k), v));
        node.annotations().forEach((k, v) -> labels.put(META + "annotation_" + LabelNames.sanitize(k), v));
        node.addresses().forEach((type, address) -> labels.put(META + "address_" + LabelNames.sanitize(type), address));
        labels.put(META + "ready", Boolean.toString(node.ready()));
        labels.put("__meta_kubescrape_endpoint", endpoint.tag());
        labels.put("__meta_kubescrape_role", TargetRole.NODE.tag());
        return new ScrapeTarget(TargetRole.NODE, spec.name(), null, node.name(), endpoint.tag(), path,
                TargetBuilder.json(labels), LabelNames.hash(path));
    }

    /** The API server's target; {@code instance} is its host and port as configured. */
    static ScrapeTarget apiServer(ClusterSpec spec) {
        String path = new ApiServerTarget(spec.name()).path();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__metrics_path__", path);
        labels.put("cluster", spec.name());
        int port = spec.server().getPort() > 0 ? spec.server().getPort() : 443;
        labels.put("instance", spec.server().getHost() + ":" + port);
        labels.put("__meta_kubescrape_role", TargetRole.APISERVER.tag());
        return new ScrapeTarget(TargetRole.APISERVER, spec.name(), null, null, null, path, TargetBuilder.json(labels),
                LabelNames.hash(path));
    }
}
