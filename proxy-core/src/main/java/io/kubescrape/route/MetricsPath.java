package io.kubescrape.route;

import java.util.List;

/**
 * The path on the pod that a scrape reads (from {@code prometheus.io/path} or config). It is appended to the
 * pod-proxy URL, so it is held to a strict shape: absolute, only unreserved and a few sub-delimiter characters,
 * no dot segments, no empty segments, no query, no percent-encoding.
 */
public final class MetricsPath {
    private static final int MAX_LENGTH = 256;

    private MetricsPath() {
    }

    /** Returns null when valid, else the reason. */
    public static String problem(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return "must start with '/'";
        }
        if (path.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
            if (!ok) {
                return "contains '" + (c < 0x20 || c >= 0x7f ? "\\u" + Integer.toHexString(c) : String.valueOf(c))
                        + "'; only letters, digits and / - _ . ~ are allowed";
            }
        }
        int segment = 1; // checked per scrape: segments found by position, no split
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                int length = i - segment;
                if ((length == 1 || length == 2) && path.charAt(segment) == '.'
                        && path.charAt(i - 1) == '.') {
                    return "contains a dot segment";
                }
                segment = i + 1;
            }
        }
        if (path.contains("//")) {
            return "contains an empty segment";
        }
        return null;
    }

    /** True when the path starts with one of the allowed prefixes (a prefix "/" allows every valid path). */
    public static boolean allowed(String path, List<String> allowedPrefixes) {
        for (String prefix : allowedPrefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
