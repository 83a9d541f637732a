package io.kubescrape.discovery;

import java.util.Map;

/**
 * What kubescrape keeps of a Node: its name, labels and annotations for target labels, its addresses by type
 * (InternalIP, Hostname, …; the first of each type), and whether it is Ready.
 */
public record NodeInfo(String name, String resourceVersion, Map<String, String> labels,
                       Map<String, String> annotations, Map<String, String> addresses, boolean ready) {

    public NodeInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        addresses = Map.copyOf(addresses);
    }
}
