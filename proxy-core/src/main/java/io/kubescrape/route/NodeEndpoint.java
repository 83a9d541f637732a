package io.kubescrape.route;

/**
 * The kubelet's read-only metrics endpoints: the whole, fixed list of what kubescrape ever asks a node for. The node
 * proxy also reaches the kubelet's exec, run, attach, logs, pods, configz, pprof and checkpoint handlers, and a GET
 * with an Upgrade header is enough for some of them, so no other path is representable here.
 */
public enum NodeEndpoint {
    KUBELET("kubelet", "/metrics"),
    CADVISOR("cadvisor", "/metrics/cadvisor"),
    RESOURCE("resource", "/metrics/resource"),
    PROBES("probes", "/metrics/probes");

    private final String tag;
    private final String path;

    NodeEndpoint(String tag, String path) {
        this.tag = tag;
        this.path = path;
    }

    /** What {@code __meta_kubescrape_endpoint} and {@code ?endpoint=} say. */
    public String tag() {
        return tag;
    }

    /** The path on the kubelet, which is also the end of kubescrape's URL for it. */
    public String path() {
        return path;
    }

    /** The endpoint with this tag, or null. */
    public static NodeEndpoint ofTag(String tag) {
        for (NodeEndpoint e : values()) {
            if (e.tag.equals(tag)) {
                return e;
            }
        }
        return null;
    }

    /** The endpoint whose kubelet path is exactly {@code path}, or null: the fixed list, compared exactly. */
    static NodeEndpoint ofPath(String path) {
        for (NodeEndpoint e : values()) {
            if (e.path.equals(path)) {
                return e;
            }
        }
        return null;
    }
}
