package io.kubescrape.it;

/** Reads values out of a Prometheus text exposition, as a user's PromQL would, for assertions. */
final class MetricsText {
    private MetricsText() {
    }

    /** kubescrape's own /metrics, fetched now. */
    static String of(String kubescrapeUrl) throws Exception {
        return Harness.get(kubescrapeUrl + "/metrics").body();
    }

    /** The sum of every sample of {@code name} carrying all the given label pairs (k1, v1, k2, v2, …). */
    static double sum(String exposition, String name, String... labels) {
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
}
