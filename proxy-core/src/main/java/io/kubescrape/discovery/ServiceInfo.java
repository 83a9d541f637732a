package io.kubescrape.discovery;

import java.util.Map;

/**
 * What kubescrape keeps of a Service: its labels and annotations (for target labels and the
 * {@code prometheus.io/*} scrape convention) and its selector (which pods it selects). A Service without a selector
 * selects no pod by itself.
 */
public record ServiceInfo(String namespace, String name, String resourceVersion, Map<String, String> labels,
                          Map<String, String> annotations, Map<String, String> selector) {

    public ServiceInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        selector = Map.copyOf(selector);
    }

    /** Whether the Service selects a pod with these labels (every selector pair present; an empty one: none). */
    public boolean selects(PodInfo pod) {
        if (selector.isEmpty() || !namespace.equals(pod.namespace())) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(pod.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public String annotation(String key) {
        return annotations.get(key);
    }
}
