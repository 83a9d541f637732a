package io.kubescrape.sd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import io.kubescrape.route.TargetRole;

/**
 * One target as published to Prometheus: a pod (and port, where it has several), a node's kubelet endpoint or the
 * API server of a cluster, its stable kubescrape path, and its labels (including the {@code __meta_kubescrape_*}
 * ones for relabelling). The labels are kept only as the JSON object /sd sends, rendered once when the target is
 * built: a render is then a copy.
 *
 * @param namespace  the pod's namespace; null for a node or the API server, which span every namespace
 * @param name       the pod's or node's name; null for the API server
 * @param endpoint   a node target's kubelet endpoint tag (kubelet, cadvisor, resource, probes); else null
 * @param shardHash  a stable hash of the target's identity, for {@code shard=i&shards=n}
 * @param labelsJson the labels as a JSON object, UTF-8
 */
public record ScrapeTarget(TargetRole role, String cluster, String namespace, String name, String endpoint, String path,
                           byte[] labelsJson, long shardHash) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The labels, read back from their JSON (for pages and tests; /sd copies the bytes). */
    public Map<String, String> labels() {
        try {
            return JSON.readValue(labelsJson, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
