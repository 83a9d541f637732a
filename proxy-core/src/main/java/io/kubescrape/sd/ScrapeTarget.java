package io.kubescrape.sd;

import java.util.Map;

/**
 * One target as published to Prometheus: a pod (and port, where it has several) of a cluster, its stable
 * kubescrape path, and its labels (including the {@code __meta_kubescrape_*} ones for relabelling).
 *
 * @param shardHash a stable hash of the target's identity, for {@code shard=i&shards=n}
 */
public record ScrapeTarget(String cluster, String namespace, String pod, String path, Map<String, String> labels,
                           long shardHash) {
}
