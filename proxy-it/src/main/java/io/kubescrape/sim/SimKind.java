package io.kubescrape.sim;

import java.util.List;

/**
 * What the list, watch and table code needs to know of a resource: its kind, its list's kind, its group version,
 * and the columns {@code kubectl get} shows (priority 1: only with {@code -o wide}).
 */
record SimKind(String kind, String listKind, String apiVersion, String resource, List<Column> columns) {

    record Column(String name, int priority) {
    }

    static final SimKind POD = new SimKind("Pod", "PodList", "v1", "pods", List.of(new Column("Name", 0),
            new Column("Ready", 0), new Column("Status", 0), new Column("Restarts", 0), new Column("Age", 0),
            new Column("IP", 1), new Column("Node", 1)));

    static final SimKind SERVICE = new SimKind("Service", "ServiceList", "v1", "services", List.of(
            new Column("Name", 0), new Column("Type", 0), new Column("Cluster-IP", 0), new Column("External-IP", 0),
            new Column("Port(s)", 0), new Column("Age", 0), new Column("Selector", 1)));

    static final SimKind ENDPOINTSLICE = new SimKind("EndpointSlice", "EndpointSliceList", "discovery.k8s.io/v1",
            "endpointslices", List.of(new Column("Name", 0), new Column("AddressType", 0), new Column("Ports", 0),
            new Column("Endpoints", 0), new Column("Age", 0)));

    static final SimKind NODE = new SimKind("Node", "NodeList", "v1", "nodes", List.of(new Column("Name", 0),
            new Column("Status", 0), new Column("Roles", 0), new Column("Age", 0), new Column("Version", 0),
            new Column("Internal-IP", 1), new Column("External-IP", 1), new Column("OS-Image", 1),
            new Column("Kernel-Version", 1), new Column("Container-Runtime", 1)));
}
