package io.kubescrape.server.aggregate;

import io.kubescrape.config.AggregateSettings;
import io.kubescrape.route.AggregateTarget;

/**
 * What an aggregated scrape was asked for and how to answer it.
 *
 * @param caller      the caller's name, for its share of the cluster; null when callers are off
 * @param openMetrics answer in OpenMetrics (the caller's Accept prefers it), else Prometheus text
 * @param gzip        the caller accepts gzip
 * @param head        a HEAD: headers only
 */
record AggregateRequest(AggregateTarget target, String caller, boolean openMetrics, boolean gzip, boolean head,
                        boolean keepAlive, long budgetNanos, AggregateSettings limits) {

    /** Whether an Accept header prefers OpenMetrics to the text format (by q, then by order). */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        double om = -1;
        double text = -1;
        for (String part : accept.split(",")) {
            String[] fields = part.trim().split(";");
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].trim();
                if (f.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(f.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String type = fields[0].trim();
            if (type.equals("application/openmetrics-text") && om < 0) {
                om = q;
            } else if (type.equals("text/plain") && text < 0) {
                text = q;
            }
        }
        return om > 0 && om >= text;
    }
}
