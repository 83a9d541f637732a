package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Prometheus text bodies of about the requested size: a small per-pod head (the pod's identity and labels)
 * and a bulk of counters, gauges, histograms and summaries shared by all pods. The plain body is the head and the
 * shared bulk side by side; the gzipped body is one gzip stream per pod (browsers read only the first member of a
 * multi-member stream), built on the pod's first gzip scrape. Serving a scrape copies nothing.
 */
final class MetricsBodies {
    private final ByteBuf bulk;
    private final byte[] bulkBytes;
    private final ConcurrentMap<String, ByteBuf[]> heads = new ConcurrentHashMap<>();

    MetricsBodies(int targetBytes) {
        bulkBytes = bulkText(Math.max(0, targetBytes - 400)).getBytes(StandardCharsets.UTF_8);
        bulk = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bulkBytes));
    }

    /** The body for a pod, as a composite of retained duplicates; the caller writes (and so releases) it. */
    ByteBuf body(SimPod pod, boolean gzip, ByteBufAllocator alloc) {
        ByteBuf[] parts = heads.computeIfAbsent(pod.key(), k -> new ByteBuf[] {Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(headText(pod).getBytes(StandardCharsets.UTF_8))), null});
        if (gzip) {
            if (parts[1] == null) {
                byte[] head = ByteBufUtil.getBytes(parts[0]);
                byte[] whole = new byte[head.length + bulkBytes.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(bulkBytes, 0, whole, head.length, bulkBytes.length);
                parts[1] = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Replies.gzip(whole)));
            }
            return parts[1].duplicate();
        }
        return alloc.compositeBuffer(2).addComponents(true, parts[0].duplicate(), bulk.duplicate());
    }

    static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A small OpenMetrics body: the pod's identity, a counter with an exemplar and its created time, # EOF. */
    static String openMetrics(SimPod pod) {
        return "# HELP sim_pod_info Identity of the simulated pod.\n# TYPE sim_pod_info gauge\n"
                + "sim_pod_info{namespace=\"" + pod.namespace() + "\",pod=\"" + pod.name() + "\",node=\"" + pod.node()
                + "\"} 1\n# HELP sim_jobs Jobs done.\n# TYPE sim_jobs counter\n"
                + "sim_jobs_total{kind=\"batch\"} 42 # {trace_id=\"4bf92f3577b34da6\"} 1 " + pod.createdMillis() / 1000
                + ".5\nsim_jobs_created{kind=\"batch\"} " + pod.createdMillis() / 1000 + "\n"
                + "# TYPE sim_queue_depth gauge\nsim_queue_depth{queue=\"q-0\"} 3\n# EOF\n";
    }

    void forget(SimPod pod) {
        heads.remove(pod.key());
    }

    private static String headText(SimPod pod) {
        StringBuilder sb = new StringBuilder(400);
        sb.append("# HELP sim_pod_info Identity of the simulated pod.\n# TYPE sim_pod_info gauge\n");
        sb.append("sim_pod_info{namespace=\"").append(pod.namespace()).append("\",pod=\"").append(pod.name())
                .append("\",node=\"").append(pod.node()).append("\",app=\"").append(pod.labels().get("app"))
                .append("\"} 1\n");
        sb.append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n");
        sb.append("# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ")
                .append(pod.createdMillis() / 1000).append('\n');
        return sb.toString();
    }

    /** Families with enough label values (handlers) to reach about {@code bytes}. */
    static String bulkText(int bytes) {
        if (bytes <= 0) {
            return "";
        }
        int perHandler = bulkText(1, true).length();
        int handlers = Math.max(1, bytes / perHandler);
        return bulkText(handlers, false);
    }

    private static String bulkText(int handlers, boolean probe) {
        StringBuilder sb = new StringBuilder(handlers * 1200);
        if (!probe) {
            sb.append("# HELP sim_http_requests_total Requests handled, by handler, method and code.\n")
                    .append("# TYPE sim_http_requests_total counter\n");
        }
        for (int h = 0; h < handlers; h++) {
            for (String code : new String[] {"200", "404", "500"}) {
                sb.append("sim_http_requests_total{code=\"").append(code).append("\",handler=\"/api/v1/items/")
                        .append(h).append("\",method=\"GET\"} ").append((h + 1) * 1000L + code.charAt(0)).append('\n');
            }
        }
        if (!probe) {
            sb.append("# HELP sim_request_duration_seconds Request latency, by handler.\n")
                    .append("# TYPE sim_request_duration_seconds histogram\n");
        }
        String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
        for (int h = 0; h < handlers; h++) {
            for (int b = 0; b < les.length; b++) {
                sb.append("sim_request_duration_seconds_bucket{handler=\"/api/v1/items/").append(h)
                        .append("\",le=\"").append(les[b]).append("\"} ").append((b + 1) * 10L * (h + 1)).append('\n');
            }
            sb.append("sim_request_duration_seconds_sum{handler=\"/api/v1/items/").append(h).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.3f", 12.5 * (h + 1))).append('\n');
            sb.append("sim_request_duration_seconds_count{handler=\"/api/v1/items/").append(h).append("\"} ")
                    .append(120L * (h + 1)).append('\n');
        }
        if (!probe) {
            sb.append("# HELP sim_rpc_duration_seconds RPC latency quantiles, by service.\n")
                    .append("# TYPE sim_rpc_duration_seconds summary\n");
        }
        for (int h = 0; h < handlers; h++) {
            for (String q : new String[] {"0.5", "0.9", "0.99"}) {
                sb.append("sim_rpc_duration_seconds{service=\"svc-").append(h).append("\",quantile=\"").append(q)
                        .append("\"} 0.0").append(q.length()).append('\n');
            }
            sb.append("sim_rpc_duration_seconds_sum{service=\"svc-").append(h).append("\"} 4.2\n");
            sb.append("sim_rpc_duration_seconds_count{service=\"svc-").append(h).append("\"} 100\n");
        }
        if (!probe) {
            sb.append("# HELP sim_queue_depth Items waiting, by queue.\n# TYPE sim_queue_depth gauge\n");
        }
        for (int h = 0; h < handlers; h++) {
            sb.append("sim_queue_depth{queue=\"q-").append(h).append("\"} ").append(h % 17).append('\n');
        }
        return sb.toString();
    }
}
