package io.kubescrape.route;

/** What a scrape URL names: a pod of a namespace of a cluster, and optionally a port (null: resolve it). */
public record Target(String cluster, String namespace, String pod, PortRef port) {

    public Target {
        if (!KubeNames.isClusterName(cluster)) {
            throw new IllegalArgumentException("invalid cluster name");
        }
        if (!KubeNames.isDns1123Label(namespace)) {
            throw new IllegalArgumentException("invalid namespace");
        }
        if (!KubeNames.isDns1123Subdomain(pod)) {
            throw new IllegalArgumentException("invalid pod name");
        }
    }

    /** The stable kubescrape path of this target. */
    public String path() {
        return "/clusters/" + cluster + "/ns/" + namespace + "/pods/" + pod + (port == null ? "" : ":" + port)
                + "/metrics";
    }
}
