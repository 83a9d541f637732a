package io.kubescrape.config;

import java.time.Duration;

/** Prometheus-style durations: "30s", "1m30s", "500ms", "2h"; units y w d h m s ms, largest first. */
public final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 12) {
                throw bad(text);
            }
            long value = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            int unit = unitIndex(text.substring(unitStart, i));
            if (unit <= lastUnit) {
                throw bad(text);
            }
            lastUnit = unit;
            total = Math.addExact(total, Math.multiplyExact(value, MILLIS[unit]));
        }
        return Duration.ofMillis(total);
    }

    /** Formats back into the same notation, for messages and docs. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int u = 3; u < UNITS.length; u++) {
            long n = ms / MILLIS[u];
            if (n > 0) {
                sb.append(n).append(UNITS[u]);
                ms -= n * MILLIS[u];
            }
        }
        return sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return u;
            }
        }
        return -1;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration like 30s, 1m30s or 500ms");
    }
}
