package io.kubescrape.config;

import io.kubescrape.route.KubeNames;
import io.kubescrape.route.MetricsPath;
import java.util.List;

/**
 * How RESOLVE picks a pod's scrape endpoint when the URL and annotations leave it open. Fields are null when
 * not set, so a cluster's settings can be laid over {@code cluster_defaults} and then over {@link #BUILTIN}.
 */
public record ScrapeSettings(String portName, Integer port, String path, String scheme, List<String> allowedPaths,
                             List<String> namespaces, List<String> excludeNamespaces) {

    public static final ScrapeSettings BUILTIN = new ScrapeSettings("metrics", null, "/metrics", "http", List.of("/"),
            List.of("*"), List.of());

    /** Without the namespace rules (they default to every namespace). */
    public ScrapeSettings(String portName, Integer port, String path, String scheme, List<String> allowedPaths) {
        this(portName, port, path, scheme, allowedPaths, null, null);
    }

    /**
     * Whether pods of this namespace may be scraped at all: it matches a {@code namespaces} glob and no
     * {@code exclude_namespaces} glob. Applies to every caller, and to what discovery publishes.
     */
    public boolean scrapes(String namespace) {
        return anyMatches(namespaces, namespace) && !anyMatches(excludeNamespaces, namespace);
    }

    private static boolean anyMatches(List<String> globs, String namespace) {
        for (int i = 0; i < globs.size(); i++) { // per scrape: no stream or iterator
            if (CallerSpec.glob(globs.get(i), namespace)) {
                return true;
            }
        }
        return false;
    }

    public ScrapeSettings {
        if (portName != null && !KubeNames.isPortName(portName)) {
            throw new IllegalArgumentException("port_name \"" + portName + "\" is not a valid container port name");
        }
        if (port != null && !KubeNames.isPortNumber(port)) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        if (path != null && MetricsPath.problem(path) != null) {
            throw new IllegalArgumentException("path \"" + path + "\" " + MetricsPath.problem(path));
        }
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https, not \"" + scheme + "\"");
        }
        if (allowedPaths != null) {
            if (allowedPaths.isEmpty()) {
                throw new IllegalArgumentException("allowed_paths must name at least one prefix (\"/\" allows all)");
            }
            for (String prefix : allowedPaths) {
                if (prefix == null || !prefix.startsWith("/")) {
                    throw new IllegalArgumentException("allowed_paths entry \"" + prefix + "\" must start with '/'");
                }
            }
            allowedPaths = List.copyOf(allowedPaths);
        }
        namespaces = namespaces == null ? null : List.copyOf(namespaces);
        excludeNamespaces = excludeNamespaces == null ? null : List.copyOf(excludeNamespaces);
    }

    /** This, with every unset field taken from {@code fallback}. */
    public ScrapeSettings orElse(ScrapeSettings fallback) {
        if (fallback == null) {
            return this;
        }
        return new ScrapeSettings(
                portName != null ? portName : fallback.portName,
                port != null ? port : fallback.port,
                path != null ? path : fallback.path,
                scheme != null ? scheme : fallback.scheme,
                allowedPaths != null ? allowedPaths : fallback.allowedPaths,
                namespaces != null ? namespaces : fallback.namespaces,
                excludeNamespaces != null ? excludeNamespaces : fallback.excludeNamespaces);
    }
}
