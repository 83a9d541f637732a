package io.kubescrape.sd;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.route.TargetRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Role {@code aggregate}: one target per namespace that has target pods, its path the namespace's aggregate. Its
 * samples carry {@code cluster}, {@code namespace} and {@code pod} already, so the target names them only in
 * {@code __meta_*} labels: a target label of the same name would push every sample's into {@code exported_*}.
 */
final class AggregateTargets {
    private AggregateTargets() {
    }

    static List<ScrapeTarget> build(ClusterSpec spec, List<ScrapeTarget> podTargets) {
        Map<String, Integer> pods = new TreeMap<>();
        for (ScrapeTarget t : podTargets) {
            pods.merge(t.namespace(), 1, Integer::sum);
        }
        List<ScrapeTarget> out = new ArrayList<>(pods.size());
        pods.forEach((namespace, count) -> {
            String path = "/clusters/" + spec.name() + "/ns/" + namespace + "/metrics";
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("__metrics_path__", path);
            labels.put("instance", spec.name() + "/" + namespace);
            labels.put("__meta_kubescrape_cluster", spec.name());
            labels.put("__meta_kubescrape_namespace", namespace);
            labels.put("__meta_kubescrape_aggregate_pods", Integer.toString(count));
            labels.put("__meta_kubescrape_role", TargetRole.AGGREGATE.tag());
            out.add(new ScrapeTarget(TargetRole.AGGREGATE, spec.name(), namespace, null, null, path,
                    TargetBuilder.json(labels), LabelNames.hash(path)));
        });
        return out;
    }
}
