package io.kubescrape.config;

import io.kubescrape.route.KubeNames;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Which pods of a cluster become targets, and how they are watched. Null fields are unset (layered like
 * {@link ScrapeSettings}). {@code mode} "annotated" takes pods annotated {@code prometheus.io/scrape: "true"};
 * "all" takes every pod with a metrics port. With {@code namespaces} set, each is listed and watched on its
 * own (so namespaced RBAC suffices); otherwise the whole cluster is. {@code roles} says what becomes a target:
 * {@code pod} (the pods, as above), {@code node} (each node's four kubelet endpoints; a watch of nodes) and
 * {@code apiserver} (the API server's own metrics) and {@code endpoints} (the ready pods behind each Service
 * annotated {@code prometheus.io/scrape: "true"}; a watch of Services and EndpointSlices, which also labels pod
 * targets with the Services that select them) and {@code aggregate} (one target per namespace of target pods: its
 * aggregated scrape).
 */
public record DiscoverySettings(Boolean enabled, String mode, List<String> namespaces, List<String> excludeNamespaces,
                                String labelSelector, Integer pageSize, Duration stallTimeout, List<String> roles) {
    /** The roles {@code discovery.roles} may name. */
    public static final List<String> ROLES = List.of("pod", "node", "apiserver", "endpoints", "aggregate");

    public static final DiscoverySettings BUILTIN = new DiscoverySettings(true, "annotated", List.of(), List.of(), "",
            500, Duration.ofMinutes(3), List.of("pod"));
    public static final DiscoverySettings OFF = new DiscoverySettings(false, null, null, null, null, null, null, null)
            .orElse(BUILTIN);

    public DiscoverySettings(Boolean enabled, String mode, List<String> namespaces, List<String> excludeNamespaces,
                             String labelSelector, Integer pageSize, Duration stallTimeout) {
        this(enabled, mode, namespaces, excludeNamespaces, labelSelector, pageSize, stallTimeout, null);
    }

    public DiscoverySettings {
        if (mode != null && !mode.equals("annotated") && !mode.equals("all")) {
            throw new IllegalArgumentException("discovery mode must be annotated or all, not \"" + mode + "\"");
        }
        namespaces = checkedNamespaces("namespaces", namespaces);
        excludeNamespaces = checkedNamespaces("exclude_namespaces", excludeNamespaces);
        if (labelSelector != null && (labelSelector.length() > 1024 || labelSelector.chars().anyMatch(c -> c < 0x20))) {
            throw new IllegalArgumentException("label_selector is too long or has control characters");
        }
        if (pageSize != null && (pageSize < 1 || pageSize > 10_000)) {
            throw new IllegalArgumentException("page_size must be 1-10000");
        }
        if (stallTimeout != null && stallTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("stall_timeout must be at least 1s");
        }
        if (roles != null) {
            for (String r : roles) {
                if (!ROLES.contains(r)) {
                    throw new IllegalArgumentException("roles: \"" + r + "\" is not a role; roles are " + ROLES);
                }
            }
            roles = List.copyOf(new LinkedHashSet<>(roles));
        }
    }

    private static List<String> checkedNamespaces(String key, List<String> names) {
        if (names == null) {
            return null;
        }
        for (String n : names) {
            if (!KubeNames.isDns1123Label(n)) {
                throw new IllegalArgumentException(key + ": \"" + n + "\" is not a valid namespace name");
            }
        }
        return List.copyOf(names);
    }

    public DiscoverySettings orElse(DiscoverySettings f) {
        if (f == null) {
            return this;
        }
        return new DiscoverySettings(
                enabled != null ? enabled : f.enabled,
                mode != null ? mode : f.mode,
                namespaces != null ? namespaces : f.namespaces,
                excludeNamespaces != null ? excludeNamespaces : f.excludeNamespaces,
                labelSelector != null ? labelSelector : f.labelSelector,
                pageSize != null ? pageSize : f.pageSize,
                stallTimeout != null ? stallTimeout : f.stallTimeout,
                roles != null ? roles : f.roles);
    }

    public boolean annotatedOnly() {
        return "annotated".equals(mode);
    }

    /** Whether discovery publishes targets of this role ("pod", "node", "apiserver"). */
    public boolean watches(String role) {
        return enabled && roles.contains(role);
    }

    /** Whether a pod of this namespace is in scope. */
    public boolean includes(String namespace) {
        return (namespaces.isEmpty() || namespaces.contains(namespace)) && !excludeNamespaces.contains(namespace);
    }
}
