package io.kubescrape.bench;

/** Reads values out of a Prometheus text exposition, as a user's PromQL would. */
public final class Exposition {
    private Exposition() {
    }

    /** The sum of every sample of {@code name} carrying all the given label pairs (k1, v1, k2, v2, …). */
    public static double sum(String exposition, String name, String... labels) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ') {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** The value of label {@code label} in a sample line, or null. */
    public static String label(String line, String label) {
        int at = line.indexOf(label + "=\"");
        if (at < 0) {
            return null;
        }
        int from = at + label.length() + 2;
        return line.substring(from, line.indexOf('"', from));
    }
}
