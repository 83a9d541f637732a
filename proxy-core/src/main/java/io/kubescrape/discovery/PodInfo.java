package io.kubescrape.discovery;

import java.util.List;
import java.util.Map;

/** What kubescrape keeps of a Pod: enough to resolve a scrape and describe a target, nothing more. */
public record PodInfo(
        String namespace,
        String name,
        String resourceVersion,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<ContainerPort> ports,
        String phase,
        String podIp,
        String nodeName,
        boolean ready) {

    public PodInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        ports = List.copyOf(ports);
    }

    public String annotation(String key) {
        return annotations.get(key);
    }

    /** The first TCP container port with this name, or null. */
    public ContainerPort portNamed(String portName) {
        for (ContainerPort p : ports) {
            if (portName.equals(p.name()) && (p.protocol() == null || p.protocol().equals("TCP"))) {
                return p;
            }
        }
        return null;
    }
}
