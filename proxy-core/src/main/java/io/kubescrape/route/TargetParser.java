package io.kubescrape.route;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;

/**
 * PARSE: turns a downstream request URI into a {@link Target}, or fails with 400 saying what is wrong.
 *
 * <p>Valid names never need percent-encoding, so the raw path is matched as is: any '%', backslash, control
 * character, empty or dot segment, query string or extra segment is rejected before anything else happens.
 * A query string is refused rather than dropped because the pod-proxy endpoint reads {@code ?path=}.
 */
public final class TargetParser {
    public static final String PREFIX = "/clusters/";
    private static final String NS = "/ns/";
    private static final String PODS = "/pods/";
    private static final String SUFFIX = "/metrics";
    private static final int MAX_URI_LENGTH = 2048;

    private TargetParser() {
    }

    /** True when the URI is meant for the scrape route (the caller then gets a 400, not a 404, if it is bad). */
    public static boolean isScrapePath(String uri) {
        return uri.startsWith(PREFIX) || uri.equals("/clusters");
    }

    public static Target parse(String uri) {
        if (uri.length() > MAX_URI_LENGTH) {
            throw invalid("the path is longer than " + MAX_URI_LENGTH + " characters");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                throw invalid("query strings are not forwarded; the scrape path is "
                        + "/clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics");
            }
            if (c == '%') {
                throw invalid("percent-encoded characters are not allowed in a scrape path");
            }
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                throw invalid("the path contains a character that no Kubernetes name allows");
            }
        }
        // "/clusters/<cluster>/ns/<namespace>/pods/<pod>/metrics", taken apart by position: no split per scrape.
        int c0 = PREFIX.length();
        int c1 = uri.startsWith(PREFIX) ? uri.indexOf('/', c0) : -1;
        int n0 = c1 + NS.length();
        int n1 = c1 >= 0 && uri.startsWith(NS, c1) ? uri.indexOf('/', n0) : -1;
        int p0 = n1 + PODS.length();
        int p1 = n1 >= 0 && uri.startsWith(PODS, n1) ? uri.indexOf('/', p0) : -1;
        if (p1 < 0 || p1 + SUFFIX.length() != uri.length() || !uri.startsWith(SUFFIX, p1)) {
            throw invalid("expected /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics");
        }
        String cluster = uri.substring(c0, c1);
        String namespace = uri.substring(n0, n1);
        String podAndPort = uri.substring(p0, p1);
        if (!KubeNames.isClusterName(cluster)) {
            throw invalid("\"" + cluster + "\" is not a valid cluster name");
        }
        if (!KubeNames.isDns1123Label(namespace)) {
            throw invalid("namespace \"" + namespace + "\" is not a valid DNS-1123 label");
        }
        String pod = podAndPort;
        PortRef port = null;
        int colon = podAndPort.indexOf(':');
        if (colon >= 0) {
            pod = podAndPort.substring(0, colon);
            try {
                port = PortRef.parse(podAndPort.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        if (!KubeNames.isDns1123Subdomain(pod)) {
            throw invalid("pod \"" + pod + "\" is not a valid DNS-1123 subdomain");
        }
        return new Target(cluster, namespace, pod, port);
    }

    private static ScrapeException invalid(String why) {
        return new ScrapeException(ScrapeOutcome.INVALID_TARGET, why);
    }
}
