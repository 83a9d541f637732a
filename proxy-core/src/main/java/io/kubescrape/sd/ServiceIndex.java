package io.kubescrape.sd;

import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.ServiceInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's Services by namespace, to find the ones that select a pod without testing every Service of the
 * cluster against every pod; and the labels that say so on a pod's target.
 */
final class ServiceIndex {
    static final ServiceIndex EMPTY = new ServiceIndex(List.of());
    private static final String META = "__meta_kubescrape_service_";

    private final Map<String, List<ServiceInfo>> byNamespace = new HashMap<>();

    ServiceIndex(Collection<ServiceInfo> services) {
        for (ServiceInfo s : services) {
            byNamespace.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s);
        }
        byNamespace.values().forEach(l -> l.sort(Comparator.comparing(ServiceInfo::name)));
    }

    /** The Services selecting the pod, by name. */
    List<ServiceInfo> selecting(PodInfo pod) {
        List<ServiceInfo> out = new ArrayList<>(1);
        for (ServiceInfo s : byNamespace.getOrDefault(pod.namespace(), List.of())) {
            if (s.selects(pod)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Adds what a target says of the Services that select its pod: with one, its name, labels and annotations;
     * with several, only their names, as Prometheus' Consul SD writes tags ({@code ,a,b,}) so a regex can match one.
     */
    static void label(Map<String, String> labels, List<ServiceInfo> services) {
        if (services.isEmpty()) {
            return;
        }
        if (services.size() == 1) {
            ServiceInfo s = services.get(0);
            labels.put(META + "name", s.name());
            s.labels().forEach((k, v) -> labels.put(META + "label_" + LabelNames.sanitize(k), v));
            s.annotations().forEach((k, v) -> labels.put(META + "annotation_" + LabelNames.sanitize(k), v));
            return;
        }
        StringBuilder names = new StringBuilder(",");
        services.forEach(s -> names.append(s.name()).append(','));
        labels.put(META + "name", names.toString());
    }
}
