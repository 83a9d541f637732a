package io.kubescrape.discovery;

import java.util.List;

/**
 * What kubescrape keeps of a {@code discovery.k8s.io/v1} EndpointSlice: the Service it belongs to, its ports, and
 * each endpoint's pod (from {@code targetRef}) and readiness.
 */
public record EndpointSliceInfo(String namespace, String name, String resourceVersion, String serviceName,
                                List<Port> ports, List<Endpoint> endpoints) {

    /** A port of the slice: its name (may be null) and number. */
    public record Port(String name, int port, String protocol) {
    }

    /** An endpoint backed by a pod ({@code targetRef.kind: Pod}); null pod when it is not a pod's. */
    public record Endpoint(String pod, boolean ready, String nodeName) {
    }

    public EndpointSliceInfo {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }
}
