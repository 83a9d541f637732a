package io.kubescrape.resolve;

import io.kubescrape.route.Target;

/**
 * The only two API-server paths kubescrape ever requests. Inputs are already validated names, so plain
 * concatenation cannot change the URL's shape.
 */
public final class UpstreamPaths {
    private UpstreamPaths() {
    }

    /** {@code /api/v1/namespaces/{ns}/pods/[https:]{pod}:{port}/proxy{path}}; "http:" is the server's default. */
    public static String podProxy(Target target, ScrapeEndpoint endpoint) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("/api/v1/namespaces/").append(target.namespace()).append("/pods/");
        if (endpoint.scheme().equals("https")) {
            sb.append("https:");
        }
        sb.append(target.pod()).append(':').append(endpoint.port()).append("/proxy").append(endpoint.path());
        return sb.toString();
    }

    /** {@code /api/v1/namespaces/{ns}/pods/{pod}}: the pod object that RESOLVE reads. */
    public static String pod(String namespace, String pod) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + pod;
    }
}
