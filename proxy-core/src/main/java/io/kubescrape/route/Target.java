package io.kubescrape.route;

import io.kubescrape.error.ScrapeOutcome;

/**
 * What a scrape URL names: a pod, a node's kubelet endpoint, or a cluster's API server. Each knows its stable
 * kubescrape path and how it is spoken of in errors, logs and the browse page; where it goes upstream is
 * RESOLVE's business.
 */
public sealed interface Target permits PodTarget, NodeTarget, ApiServerTarget, EndpointsTarget {

    String cluster();

    TargetRole role();

    /** The stable kubescrape path of this target. */
    String path();

    /**
     * The namespace the target lies in, or null when it spans the cluster (a node's cAdvisor shows every namespace's
     * containers): then only a caller allowed every namespace may scrape it.
     */
    String namespace();

    /** Unique within the cluster: the unit of the per-target cap. */
    String key();

    /** What the browse page keeps a last scrape of: the target's key, and a node's endpoint as well. */
    default String lastScrapeKey() {
        return key();
    }

    /** How errors speak of it: "pod web/web-0", "node node-1 (cadvisor)", "the API server". */
    String describe();

    /** The log line's fields naming it, e.g. {@code namespace=web pod=web-0}. */
    String logFields();

    /** The permission the API server checks for this scrape, for its 403 messages. */
    String permission();

    /** What the API server connects to for it, for "could not reach ..." messages. */
    String reached();

    /** What the API server's 404 means for it: the pod, or the node, is not there (any more). */
    default ScrapeOutcome notFound() {
        return ScrapeOutcome.UNKNOWN_POD;
    }
}
