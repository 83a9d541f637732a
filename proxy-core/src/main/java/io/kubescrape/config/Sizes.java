package io.kubescrape.config;

import java.util.Locale;

/** Sizes as the config file writes them: {@code 1024}, {@code 64KiB}, {@code 8MiB}, {@code 1GiB}. */
final class Sizes {
    private Sizes() {
    }

    /** KB, MB and GB mean the same binary units as KiB, MiB and GiB; {@code key} names the setting in errors. */
    static long bytes(String key, String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1024"},
            {"MB", "1048576"}, {"GB", "1073741824"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(t), unit);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": \"" + s + "\" is not a size (e.g. 64MiB)");
        }
    }
}
