package io.kubescrape.server.aggregate;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an aggregate says of each of its pods, whatever happened to it, so a per-pod {@code up} survives the merge:
 * {@code kubescrape_target_up} (1, or 0 with the outcome), {@code kubescrape_target_scrape_duration_seconds} and
 * {@code kubescrape_target_samples}. A pod's own families of these names are dropped.
 */
final class SyntheticSeries {
    static final String UP = "kubescrape_target_up";
    static final String DURATION = "kubescrape_target_scrape_duration_seconds";
    static final String SAMPLES = "kubescrape_target_samples";
    static final Set<String> NAMES = Set.of(UP, DURATION, SAMPLES);

    /** One pod's part of the aggregate. */
    record PodOutcome(String cluster, String namespace, String pod, String outcome, String detail, long nanos,
                      int samples) {
        boolean up() {
            return outcome.equals("success");
        }

        String labels() {
            return "cluster=\"" + cluster + "\",namespace=\"" + namespace + "\",pod=\"" + pod + "\"";
        }
    }

    private SyntheticSeries() {
    }

    static void write(ByteBuf out, List<PodOutcome> pods) {
        StringBuilder sb = new StringBuilder(128 + pods.size() * 300);
        sb.append("# HELP ").append(UP).append(" Whether kubescrape scraped the pod for this aggregate (1) or not (0, ")
                .append("with the outcome).\n# TYPE ").append(UP).append(" gauge\n");
        for (PodOutcome p : pods) {
            sb.append(UP).append('{').append(p.labels());
            if (!p.up()) {
                sb.append(",outcome=\"").append(p.outcome()).append('"');
            }
            sb.append("} ").append(p.up() ? 1 : 0).append('\n');
        }
        sb.append("# HELP ").append(DURATION).append(" How long the pod's scrape took, for this aggregate.\n# TYPE ")
                .append(DURATION).append(" gauge\n");
        for (PodOutcome p : pods) {
            sb.append(DURATION).append('{').append(p.labels()).append("} ")
                    .append(String.format(Locale.ROOT, "%.6f", p.nanos() / 1e9)).append('\n');
        }
        sb.append("# HELP ").append(SAMPLES).append(" Samples the pod contributed to this aggregate.\n# TYPE ")
                .append(SAMPLES).append(" gauge\n");
        for (PodOutcome p : pods) {
            sb.append(SAMPLES).append('{').append(p.labels()).append("} ").append(p.samples()).append('\n');
        }
        out.writeCharSequence(sb, StandardCharsets.UTF_8);
    }
}
