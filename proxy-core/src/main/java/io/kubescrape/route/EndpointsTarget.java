package io.kubescrape.route;

/**
 * A pod reached as an endpoint of a Service (the {@code kubernetes-service-endpoints} convention): the pod's own
 * metrics at a port (null: the Service's {@code prometheus.io/port}) and at the path and scheme the Service's
 * {@code prometheus.io/*} annotations name. Always one pod, never the Service's round robin.
 */
public record EndpointsTarget(String cluster, String namespace, String service, String pod, PortRef port)
        implements Target {

    public EndpointsTarget {
        new PodTarget(cluster, namespace, pod, port); // the pod part is held to a pod target's rules
        if (!KubeNames.isDns1123Label(service)) {
            throw new IllegalArgumentException("invalid service name");
        }
        if (port != null && port.isNamed()) {
            throw new IllegalArgumentException("a Service endpoint's port is a number");
        }
    }

    @Override
    public TargetRole role() {
        return TargetRole.ENDPOINTS;
    }

    @Override
    public String path() {
        return "/clusters/" + cluster + "/ns/" + namespace + "/services/" + service + "/pods/" + pod
                + (port == null ? "" : ":" + port) + "/metrics";
    }

    /** The pod, as for a pod target: both reach the same pod, so they share its cap. */
    @Override
    public String key() {
        return namespace + "/" + pod;
    }

    @Override
    public String lastScrapeKey() {
        return "service:" + service + "/" + key();
    }

    @Override
    public String describe() {
        return "pod " + namespace + "/" + pod + " (endpoint of Service " + service + ")";
    }

    @Override
    public String logFields() {
        return "namespace=" + namespace + " service=" + service + " pod=" + pod;
    }

    @Override
    public String permission() {
        return "get on pods/proxy in this namespace";
    }

    @Override
    public String reached() {
        return "the pod";
    }

    /** The same pod as a plain pod target, at this port: where the upstream request goes. */
    public PodTarget asPod(int resolvedPort) {
        return new PodTarget(cluster, namespace, pod, PortRef.of(resolvedPort));
    }
}
