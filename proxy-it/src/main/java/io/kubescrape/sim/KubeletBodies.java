package io.kubescrape.sim;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What a node's kubelet serves at its four metrics endpoints, for the pods on that node, in the real formats: the
 * kubelet's own metrics, cAdvisor's {@code container_*} families (one series per container and cgroup, with
 * timestamps, so a node runs to hundreds of KB and to MB with many pods), the resource metrics and the prober's.
 * Each family is written whole (HELP, TYPE, then every container's sample), as the format requires.
 */
final class KubeletBodies {
    /** cAdvisor's families: name, type, help, and the per-container label suffix (e.g. a device). */
    private record Family(String name, String type, String help, String extra) {
    }

    private static final List<Family> CADVISOR = List.of(
            new Family("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds.",
                    ",cpu=\"total\""),
            new Family("container_cpu_user_seconds_total", "counter", "Cumulative user cpu time consumed in seconds.", ""),
            new Family("container_cpu_system_seconds_total", "counter", "Cumulative system cpu time consumed in seconds.",
                    ""),
            new Family("container_cpu_cfs_periods_total", "counter", "Number of elapsed enforcement period intervals.", ""),
            new Family("container_cpu_cfs_throttled_periods_total", "counter", "Number of throttled period intervals.", ""),
            new Family("container_cpu_cfs_throttled_seconds_total", "counter",
                    "Total time duration the container has been throttled.", ""),
            new Family("container_memory_usage_bytes", "gauge",
                    "Current memory usage in bytes, including all memory regardless of when it was accessed", ""),
            new Family("container_memory_working_set_bytes", "gauge", "Current working set in bytes.", ""),
            new Family("container_memory_rss", "gauge", "Size of RSS in bytes.", ""),
            new Family("container_memory_cache", "gauge", "Number of bytes of page cache memory.", ""),
            new Family("container_memory_swap", "gauge", "Container swap usage in bytes.", ""),
            new Family("container_memory_failcnt", "counter", "Number of memory usage hits limits", ""),
            new Family("container_memory_max_usage_bytes", "gauge", "Maximum memory usage recorded in bytes", ""),
            new Family("container_fs_reads_bytes_total", "counter", "Cumulative count of bytes read",
                    ",device=\"/dev/nvme0n1\""),
            new Family("container_fs_writes_bytes_total", "counter", "Cumulative count of bytes written",
                    ",device=\"/dev/nvme0n1\""),
            new Family("container_fs_usage_bytes", "gauge", "Number of bytes that are consumed by the container on this "
                    + "filesystem.", ",device=\"/dev/nvme0n1p1\""),
            new Family("container_network_receive_bytes_total", "counter", "Cumulative count of bytes received",
                    ",interface=\"eth0\""),
            new Family("container_network_transmit_bytes_total", "counter", "Cumulative count of bytes transmitted",
                    ",interface=\"eth0\""),
            new Family("container_network_receive_packets_total", "counter", "Cumulative count of packets received",
                    ",interface=\"eth0\""),
            new Family("container_network_transmit_packets_total", "counter", "Cumulative count of packets transmitted",
                    ",interface=\"eth0\""),
            new Family("container_spec_cpu_shares", "gauge", "CPU share of the container.", ""),
            new Family("container_spec_cpu_period", "gauge", "CPU period of the container.", ""),
            new Family("container_spec_memory_limit_bytes", "gauge", "Memory limit for the container.", ""),
            new Family("container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds.",
                    ""),
            new Family("container_last_seen", "gauge", "Last time a container was seen by the exporter", ""),
            new Family("container_processes", "gauge", "Number of processes running inside the container.", ""),
            new Family("container_threads", "gauge", "Number of threads running inside the container", ""),
            new Family("container_file_descriptors", "gauge", "Number of open file descriptors for the container.", ""),
            new Family("container_sockets", "gauge", "Number of open sockets for the container.", ""),
            new Family("container_oom_events_total", "counter", "Count of out of memory events observed for the container",
                    ""));

    private KubeletBodies() {
    }

    /** cAdvisor's body for the pods on a node: every family, each with the pod cgroup and its two containers. */
    static byte[] cadvisor(SimNode node, List<SimPod> pods, long nowMillis) {
        StringBuilder sb = new StringBuilder(4096 + pods.size() * 30_000);
        sb.append("# HELP cadvisor_version_info A metric with a constant '1' value labeled by kernel version, OS version,"
                        + " docker version, cadvisor version & cadvisor revision.\n# TYPE cadvisor_version_info gauge\n")
                .append("cadvisor_version_info{cadvisorRevision=\"\",cadvisorVersion=\"\",dockerVersion=\"\","
                        + "kernelVersion=\"").append(SimNode.KERNEL).append("\",osVersion=\"").append(SimNode.OS_IMAGE)
                .append("\"} 1\n");
        for (Family f : CADVISOR) {
            sb.append("# HELP ").append(f.name).append(' ').append(f.help).append("\n# TYPE ").append(f.name).append(' ')
                    .append(f.type).append('\n');
            for (int p = 0; p < pods.size(); p++) {
                SimPod pod = pods.get(p);
                String app = pod.labels().getOrDefault("app", "app");
                String cgroup = "/kubepods/burstable/pod" + pod.uid();
                sample(sb, f, "", "", cgroup, "", pod, p, 0, nowMillis);
                sample(sb, f, "POD", "registry.k8s.io/pause:3.10", cgroup + "/" + pod.uid().substring(0, 8) + "pause",
                        "pause", pod, p, 1, nowMillis);
                sample(sb, f, app, "registry.local/sim/" + app + ":1.0", cgroup + "/" + pod.uid().substring(0, 8) + app,
                        app, pod, p, 2, nowMillis);
            }
        }
        sb.append("# HELP machine_cpu_cores Number of logical CPU cores.\n# TYPE machine_cpu_cores gauge\n")
                .append("machine_cpu_cores{boot_id=\"").append(node.uid()).append("\",machine_id=\"")
                .append(node.uid().replace("-", "")).append("\",system_uuid=\"").append(node.uid()).append("\"} 2\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sample(StringBuilder sb, Family f, String container, String image, String id, String name,
                               SimPod pod, int podIndex, int slot, long nowMillis) {
        sb.append(f.name).append("{container=\"").append(container).append('"').append(f.extra).append(",id=\"")
                .append(id).append("\",image=\"").append(image).append("\",name=\"").append(name)
                .append("\",namespace=\"").append(pod.namespace()).append("\",pod=\"").append(pod.name()).append("\"} ");
        double value = f.type.equals("counter") ? 1000.5 + podIndex * 7 + slot : 4096 * (podIndex + 1) + slot;
        sb.append(String.format(Locale.ROOT, "%.1f", value)).append(' ').append(nowMillis).append('\n');
    }

    /** The kubelet's own /metrics. */
    static byte[] kubelet(SimNode node, List<SimPod> pods) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP kubelet_node_name [ALPHA] The node's name. The count is always 1.\n")
                .append("# TYPE kubelet_node_name gauge\nkubelet_node_name{node=\"").append(node.name())
                .append("\"} 1\n");
        sb.append("# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox\n")
                .append("# TYPE kubelet_running_pods gauge\nkubelet_running_pods ").append(pods.size()).append('\n');
        sb.append("# HELP kubelet_running_containers [ALPHA] Number of containers currently running\n")
                .append("# TYPE kubelet_running_containers gauge\n")
                .append("kubelet_running_containers{container_state=\"running\"} ").append(pods.size() * 2).append('\n')
                .append("kubelet_running_containers{container_state=\"exited\"} 0\n");
        sb.append("# HELP kubelet_runtime_operations_total [ALPHA] Cumulative number of runtime operations by operation "
                + "type.\n# TYPE kubelet_runtime_operations_total counter\n");
        for (String op : new String[] {"container_status", "list_containers", "list_podsandbox", "podsandbox_status"}) {
            sb.append("kubelet_runtime_operations_total{operation_type=\"").append(op).append("\"} ")
                    .append(1000 + op.length() * 37L).append('\n');
        }
        String[] les = {"0.5", "1", "2", "3", "4", "5", "6", "8", "10", "20", "30", "45", "60", "+Inf"};
        sb.append("# HELP kubelet_pod_start_duration_seconds [ALPHA] Duration in seconds from kubelet seeing a pod for "
                + "the first time to the pod starting to run\n# TYPE kubelet_pod_start_duration_seconds histogram\n");
        for (int i = 0; i < les.length; i++) {
            sb.append("kubelet_pod_start_duration_seconds_bucket{le=\"").append(les[i]).append("\"} ")
                    .append(Math.min(pods.size(), i * 2L)).append('\n');
        }
        sb.append("kubelet_pod_start_duration_seconds_sum ").append(pods.size() * 2.5).append('\n')
                .append("kubelet_pod_start_duration_seconds_count ").append(pods.size()).append('\n');
        sb.append("# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, minor, git "
                + "version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was "
                + "built, and platform on which it is running.\n# TYPE kubernetes_build_info gauge\n")
                .append("kubernetes_build_info{git_version=\"").append(SimNode.KUBELET_VERSION).append("\"} 1\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** /metrics/resource: what metrics-server reads. */
    static byte[] resource(List<SimPod> pods, long nowMillis) {
        StringBuilder sb = new StringBuilder(1024 + pods.size() * 600);
        sb.append("# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in "
                + "core-seconds\n# TYPE container_cpu_usage_seconds_total counter\n");
        for (SimPod p : pods) {
            sb.append("container_cpu_usage_seconds_total{container=\"").append(p.labels().getOrDefault("app", "app"))
                    .append("\",namespace=\"").append(p.namespace()).append("\",pod=\"").append(p.name())
                    .append("\"} 12.5 ").append(nowMillis).append('\n');
        }
        sb.append("# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes\n"
                + "# TYPE container_memory_working_set_bytes gauge\n");
        for (SimPod p : pods) {
            sb.append("container_memory_working_set_bytes{container=\"").append(p.labels().getOrDefault("app", "app"))
                    .append("\",namespace=\"").append(p.namespace()).append("\",pod=\"").append(p.name())
                    .append("\"} 2.4576e+07 ").append(nowMillis).append('\n');
        }
        sb.append("# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n"
                + "# TYPE node_cpu_usage_seconds_total counter\nnode_cpu_usage_seconds_total 8342.7 ").append(nowMillis)
                .append("\n# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes\n"
                        + "# TYPE node_memory_working_set_bytes gauge\nnode_memory_working_set_bytes 2.147483648e+09 ")
                .append(nowMillis).append("\n# HELP resource_scrape_error [STABLE] 1 if there was an error while getting "
                        + "container metrics, 0 otherwise\n# TYPE resource_scrape_error gauge\nresource_scrape_error 0\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** /metrics/probes: the prober's counters per container and probe type. */
    static byte[] probes(List<SimPod> pods) {
        StringBuilder sb = new StringBuilder(256 + pods.size() * 400);
        sb.append("# HELP prober_probe_total [ALPHA] Cumulative number of a liveness, readiness or startup probe for a "
                + "container by result.\n# TYPE prober_probe_total counter\n");
        for (SimPod p : pods) {
            for (String type : new String[] {"Liveness", "Readiness"}) {
                sb.append("prober_probe_total{container=\"").append(p.labels().getOrDefault("app", "app"))
                        .append("\",namespace=\"").append(p.namespace()).append("\",pod=\"").append(p.name())
                        .append("\",pod_uid=\"").append(p.uid()).append("\",probe_type=\"").append(type)
                        .append("\",result=\"successful\"} 240\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
