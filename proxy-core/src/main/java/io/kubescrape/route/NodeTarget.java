package io.kubescrape.route;

import io.kubescrape.error.ScrapeOutcome;

/** One of a node's kubelet metrics endpoints, reached through the API server's node proxy. */
public record NodeTarget(String cluster, String node, NodeEndpoint endpoint) implements Target {

    public NodeTarget {
        if (!KubeNames.isClusterName(cluster)) {
            throw new IllegalArgumentException("invalid cluster name");
        }
        if (!KubeNames.isDns1123Subdomain(node)) {
            throw new IllegalArgumentException("invalid node name");
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("a node target needs an endpoint");
        }
    }

    @Override
    public TargetRole role() {
        return TargetRole.NODE;
    }

    @Override
    public String path() {
        return "/clusters/" + cluster + "/nodes/" + node + endpoint.path();
    }

    @Override
    public String namespace() {
        return null;
    }

    /** The node, whichever endpoint: its kubelet is the thing a cap protects. */
    @Override
    public String key() {
        return "node:" + node;
    }

    @Override
    public String lastScrapeKey() {
        return key() + "/" + endpoint.tag();
    }

    @Override
    public String describe() {
        return "node " + node + " (" + endpoint.tag() + ")";
    }

    @Override
    public String logFields() {
        return "node=" + node + " endpoint=" + endpoint.tag();
    }

    @Override
    public String permission() {
        return "get on nodes/proxy (cluster-wide: a ClusterRole)";
    }

    @Override
    public String reached() {
        return "node " + node + "'s kubelet";
    }

    @Override
    public ScrapeOutcome notFound() {
        return ScrapeOutcome.UNKNOWN_NODE;
    }
}
