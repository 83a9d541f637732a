package io.kubescrape.resolve;

import io.kubescrape.route.KubeNames;
import io.kubescrape.route.MetricsPath;

/** The result of RESOLVE: how the API server should reach the pod's metrics. */
public record ScrapeEndpoint(String scheme, int port, String path) {

    public ScrapeEndpoint {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https");
        }
        if (!KubeNames.isPortNumber(port)) {
            throw new IllegalArgumentException("port outside 1-65535");
        }
        if (MetricsPath.problem(path) != null) {
            throw new IllegalArgumentException("metrics path " + MetricsPath.problem(path));
        }
    }
}
