package io.kubescrape.config;

import io.kubescrape.route.KubeNames;
import io.kubescrape.route.MetricsPath;
import java.time.Duration;
import java.util.List;

/**
 * How RESOLVE picks a pod's scrape endpoint when the URL and annotations leave it open, and how identical scrapes
 * share upstream requests: {@code share_buffer}, how much of a response in flight is kept for an identical scrape
 * that joins late (0 turns sharing off), and {@code share_window}, how long a completed answer serves identical
 * scrapes (0, the default: not at all). Fields are null when not set, so a cluster's settings can be laid over
 * {@code cluster_defaults} and then over {@link #BUILTIN}.
 */
public record ScrapeSettings(String portName, Integer port, String path, String scheme, List<String> allowedPaths,
                             List<String> namespaces, List<String> excludeNamespaces, String shareBuffer,
                             Duration shareWindow) {

    private static final long MAX_SHARE_BUFFER = 1L << 30;

    public static final ScrapeSettings BUILTIN = new ScrapeSettings("metrics", null, "/metrics", "http", List.of("/"),
            List.of("*"), List.of(), "8MiB", Duration.ZERO);

    /** Without the namespace rules (they default to every namespace) and sharing's settings. */
    public ScrapeSettings(String portName, Integer port, String path, String scheme, List<String> allowedPaths) {
        this(portName, port, path, scheme, allowedPaths, null, null);
    }

    /** Without sharing's settings. */
    public ScrapeSettings(String portName, Integer port, String path, String scheme, List<String> allowedPaths,
                          List<String> namespaces, List<String> excludeNamespaces) {
        this(portName, port, path, scheme, allowedPaths, namespaces, excludeNamespaces, null, null);
    }

    /** Bytes of a response in flight kept for late joiners; 0 when identical scrapes do not share. */
    public long shareBufferBytes() {
        return shareBuffer == null ? 0 : Sizes.bytes("share_buffer", shareBuffer);
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
        if (shareBuffer != null && Sizes.bytes("share_buffer", shareBuffer) > MAX_SHARE_BUFFER) {
            throw new IllegalArgumentException("share_buffer must be at most 1GiB");
        }
        if (shareWindow != null && (shareWindow.isNegative() || shareWindow.compareTo(Duration.ofMinutes(10)) > 0)) {
            throw new IllegalArgumentException("share_window must be 0s-10m");
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
                excludeNamespaces != null ? excludeNamespaces : fallback.excludeNamespaces,
                shareBuffer != null ? shareBuffer : fallback.shareBuffer,
                shareWindow != null ? shareWindow : fallback.shareWindow);
    }
}
