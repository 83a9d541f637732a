package io.kubescrape.route;

/** A pod of a namespace of a cluster, and optionally a port (null: resolve it). */
public record PodTarget(String cluster, String namespace, String pod, PortRef port) implements Target {

    public PodTarget {
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

    @Override
    public TargetRole role() {
        return TargetRole.POD;
    }

    @Override
    public String path() {
        return "/clusters/" + cluster + "/ns/" + namespace + "/pods/" + pod + (port == null ? "" : ":" + port)
                + "/metrics";
    }

    /** The pod, whatever port or spelling the path used: namespaces hold no ':', so no node key can equal it. */
    @Override
    public String key() {
        return namespace + "/" + pod;
    }

    @Override
    public String describe() {
        return "pod " + namespace + "/" + pod;
    }

    @Override
    public String logFields() {
        return "namespace=" + namespace + " pod=" + pod;
    }

    @Override
    public String permission() {
        return "get on pods/proxy in this namespace";
    }

    @Override
    public String reached() {
        return "the pod";
    }
}
