package io.kubescrape.sd;

import java.nio.charset.StandardCharsets;

/** Label naming as Prometheus does it, and the stable hash that shards targets. */
public final class LabelNames {
    private LabelNames() {
    }

    /** Every character outside [a-zA-Z0-9_] becomes '_' (Prometheus' SanitizeLabelName). */
    public static String sanitize(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok && sb == null) {
                sb = new StringBuilder(name.length()).append(name, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : '_');
            }
        }
        return sb == null ? name : sb.toString();
    }

    /** FNV-1a, 64 bits, over the UTF-8 bytes: stable across runs, machines and replicas. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
