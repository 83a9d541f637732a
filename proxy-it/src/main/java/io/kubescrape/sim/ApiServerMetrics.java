package io.kubescrape.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated API server's own {@code /metrics}: {@code apiserver_request_total} counts the requests kube-sim
 * really served (by verb, resource, subresource and code, as kube-apiserver labels them), beside the gauges a
 * dashboard of the API server reads.
 */
final class ApiServerMetrics {
    private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();

    /** One request served; {@code subresource} "" when none. */
    void record(String verb, String resource, String subresource, int code) {
        String key = "code=\"" + code + "\",component=\"apiserver\",dry_run=\"\",group=\"\",resource=\"" + resource
                + "\",scope=\"" + (resource.equals("nodes") ? "cluster" : "namespace") + "\",subresource=\""
                + subresource + "\",verb=\"" + verb + "\",version=\"v1\"";
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    byte[] body(int pods, int nodes, int openWatches) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry "
                + "run value, group, version, resource, scope, component, and HTTP response code.\n"
                + "# TYPE apiserver_request_total counter\n");
        Map<String, LongAdder> sorted = new TreeMap<>(requests);
        sorted.forEach((labels, n) -> sb.append("apiserver_request_total{").append(labels).append("} ")
                .append(n.sum()).append('\n'));
        sb.append("# HELP apiserver_storage_objects [STABLE] Number of stored objects at the time of last check split "
                + "by kind. In case of a fetching error, the value will be -1.\n# TYPE apiserver_storage_objects gauge\n")
                .append("apiserver_storage_objects{resource=\"nodes\"} ").append(nodes).append('\n')
                .append("apiserver_storage_objects{resource=\"pods\"} ").append(pods).append('\n');
        sb.append("# HELP apiserver_longrunning_requests [STABLE] Gauge of all active long-running apiserver requests "
                + "broken out by verb, group, version, resource, scope and component. Not all requests are tracked "
                + "this way.\n# TYPE apiserver_longrunning_requests gauge\n")
                .append("apiserver_longrunning_requests{component=\"apiserver\",group=\"\",resource=\"pods\","
                        + "scope=\"cluster\",subresource=\"\",verb=\"WATCH\",version=\"v1\"} ").append(openWatches)
                .append('\n');
        sb.append("# HELP apiserver_current_inflight_requests [STABLE] Maximal number of currently used inflight request "
                + "limit of this apiserver per request kind in last second.\n"
                + "# TYPE apiserver_current_inflight_requests gauge\n"
                + "apiserver_current_inflight_requests{request_kind=\"mutating\"} 0\n"
                + "apiserver_current_inflight_requests{request_kind=\"readOnly\"} 1\n");
        sb.append("# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, minor, git "
                + "version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was "
                + "built, and platform on which it is running.\n# TYPE kubernetes_build_info gauge\n"
                + "kubernetes_build_info{git_version=\"v1.32.4-kube-sim\",major=\"1\",minor=\"32\"} 1\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
