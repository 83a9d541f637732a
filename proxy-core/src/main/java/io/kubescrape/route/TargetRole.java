package io.kubescrape.route;

/**
 * What kind of thing a target is. The tag is what metrics, logs and {@code __meta_kubescrape_role} say, so a
 * dashboard can tell a pod's scrapes from a kubelet's.
 */
public enum TargetRole {
    POD("pod"),
    NODE("node"),
    APISERVER("apiserver"),
    /** A pod reached as an endpoint of a Service: its port, path and scheme come from the Service. */
    ENDPOINTS("endpoints"),
    /** An aggregated scrape of many pods, answered as one body. */
    AGGREGATE("aggregate");

    private final String tag;

    TargetRole(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The role with this tag, or null. */
    public static TargetRole ofTag(String tag) {
        for (TargetRole r : values()) {
            if (r.tag.equals(tag)) {
                return r;
            }
        }
        return null;
    }
}
