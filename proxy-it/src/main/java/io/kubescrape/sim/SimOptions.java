package io.kubescrape.sim;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What kube-sim simulates; see docs/kube-sim.md. */
public record SimOptions(String host, int port, int pods, List<String> namespaces, int metricsBytes,
                         String backend, int churnPerMinute, String token, Path caDir, List<String> tlsSans,
                         String serverUrl, long slowMillis, boolean faultPods, int nodes, int serviceGroups,
                         boolean aggregateFixtures) {
    public SimOptions {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        if (serviceGroups < 0) {
            throw new IllegalArgumentException("service groups must not be negative");
        }
    }

    /** With these nodes and no extra Services. */
    public SimOptions withNodes(int count) {
        return new SimOptions(host, port, pods, namespaces, metricsBytes, backend, churnPerMinute, token, caDir, tlsSans,
                serverUrl, slowMillis, faultPods, count, serviceGroups, aggregateFixtures);
    }

    /** With {@code groups} tier Services per namespace on top of the apps' ({@code --service-groups}). */
    public SimOptions withServiceGroups(int groups) {
        return new SimOptions(host, port, pods, namespaces, metricsBytes, backend, churnPerMinute, token, caDir, tlsSans,
                serverUrl, slowMillis, faultPods, nodes, groups, aggregateFixtures);
    }

    /** With the pods of namespace "agg" whose bodies an aggregate must cope with ({@code --aggregate-pods}). */
    public SimOptions withAggregateFixtures() {
        return new SimOptions(host, port, pods, namespaces, metricsBytes, backend, churnPerMinute, token, caDir, tlsSans,
                serverUrl, slowMillis, faultPods, nodes, serviceGroups, true);
    }

    /** The extra labels of regular pod {@code i}: its tier, with service groups. */
    Map<String, String> labelsOf(int i) {
        return serviceGroups == 0 ? Map.of() : Map.of("tier", "t-" + (i % serviceGroups));
    }

    /** Three nodes, as the demo has. */
    public SimOptions(String host, int port, int pods, List<String> namespaces, int metricsBytes, String backend,
                      int churnPerMinute, String token, Path caDir, List<String> tlsSans, String serverUrl,
                   long slowMillis, boolean faultPods) {
        this(host, port, pods, namespaces, metricsBytes, backend, churnPerMinute, token, caDir, tlsSans, serverUrl,
                slowMillis, faultPods, 3, 0, false);
    }
}
