package io.kubescrape.resolve;

import io.kubescrape.route.NodeTarget;
import io.kubescrape.route.PodTarget;

/**
 * Every API-server path kubescrape ever requests, besides discovery's lists and watches. Inputs are already validated names, so plain
 * concatenation cannot change the URL's shape.
 */
public final class UpstreamPaths {
    private UpstreamPaths() {
    }

    /** {@code /api/v1/namespaces/{ns}/pods/[https:]{pod}:{port}/proxy{path}}; "http:" is the server's default. */
    public static String podProxy(PodTarget target, ScrapeEndpoint endpoint) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("/api/v1/namespaces/").append(target.namespace()).append("/pods/");
        if (endpoint.scheme().equals("https")) {
            sb.append("https:");
        }
        sb.append(target.pod()).append(':').append(endpoint.port()).append("/proxy").append(endpoint.path());
        return sb.toString();
    }

    /** {@code /api/v1/nodes/{node}/proxy/metrics[/cadvisor|/resource|/probes]}: the kubelet's fixed endpoints. */
    public static String nodeProxy(NodeTarget target) {
        return "/api/v1/nodes/" + target.node() + "/proxy" + target.endpoint().path();
    }

    /** The API server's own metrics, a non-resource URL. */
    public static String apiServerMetrics() {
        return "/metrics";
    }

    /** {@code /api/v1/namespaces/{ns}/pods/{pod}}: the pod object that RESOLVE reads. */
    public static String pod(String namespace, String pod) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + pod;
    }
}
