package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.route.KubeNames;
import java.io.IOException;

/** Nodes: cluster-scoped, listed whole (a node carries every namespace's pods). */
public final class NodeKind implements ObjectKind<NodeInfo> {
    public static final NodeKind INSTANCE = new NodeKind();

    private NodeKind() {
    }

    @Override
    public String role() {
        return "node";
    }

    @Override
    public String collectionPath(String scope) {
        return "/api/v1/nodes";
    }

    @Override
    public String listKind() {
        return "NodeList";
    }

    @Override
    public NodeInfo read(JsonParser p) throws IOException {
        return NodeJson.readNode(p);
    }


    @Override
    public String namespace(NodeInfo node) {
        return "";
    }

    @Override
    public String name(NodeInfo node) {
        return node.name();
    }

    @Override
    public String resourceVersion(NodeInfo node) {
        return node.resourceVersion();
    }

    /** A node's name ends up in a URL and a label, so it must be what a conforming API server sends. */
    @Override
    public String problem(NodeInfo node) {
        return KubeNames.isDns1123Subdomain(node.name()) ? null : "invalid_name";
    }

    @Override
    public String permission() {
        return "list and watch on nodes (a ClusterRole)";
    }
}
