package io.kubescrape.route;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;

/**
 * PARSE: turns a downstream request URI into a {@link Target}, or fails with 400 saying what is wrong.
 *
 * <p>Valid names never need percent-encoding, so the raw path is matched as is: any '%', backslash, control
 * character, empty or dot segment, query string or extra segment is rejected before anything else happens.
 * A query string is refused rather than dropped because the pod-proxy endpoint reads {@code ?path=}. A node's
 * path must be one of {@link NodeEndpoint}'s, exactly: nothing else under the node proxy is representable.
 */
public final class TargetParser {
    public static final String PREFIX = "/clusters/";
    static final String ROUTES = "/clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics, "
            + "/clusters/<cluster>/ns/<namespace>/services/<service>/pods/<pod>[:<port>]/metrics, "
            + "/clusters/<cluster>/nodes/<node>/metrics[/cadvisor|/resource|/probes] or "
            + "/clusters/<cluster>/apiserver/metrics";
    private static final String NODE_PATHS = "a node serves only /metrics, /metrics/cadvisor, /metrics/resource and "
            + "/metrics/probes through kubescrape";
    private static final int MAX_URI_LENGTH = 2048;
    /** The most segments any route has; a longer path is refused before it is taken apart. */
    private static final int MAX_SEGMENTS = 9;

    private TargetParser() {
    }

    /** True when the URI is meant for the scrape route (the caller then gets a 400, not a 404, if it is bad). */
    public static boolean isScrapePath(String uri) {
        return uri.startsWith(PREFIX) || uri.equals("/clusters");
    }

    public static Target parse(String uri) {
        checkCharacters(uri);
        // Segment k runs from cuts[k] + 1 to cuts[k + 1]; found by position, no split per scrape.
        int[] cuts = new int[MAX_SEGMENTS + 1];
        int n = 0;
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '/') {
                if (n == MAX_SEGMENTS) {
                    throw shape(uri, cuts);
                }
                cuts[n++] = i;
            }
        }
        if (n < 3 || !uri.startsWith(PREFIX)) {
            throw invalid("expected " + ROUTES);
        }
        cuts[n] = uri.length();
        String cluster = segment(uri, cuts, 1);
        if (!KubeNames.isClusterName(cluster)) {
            throw invalid("\"" + cluster + "\" is not a valid cluster name");
        }
        if (is(uri, cuts, 2, "ns") && n == 7 && is(uri, cuts, 4, "pods") && is(uri, cuts, 6, "metrics")) {
            return pod(cluster, segment(uri, cuts, 3), segment(uri, cuts, 5));
        }
        if (is(uri, cuts, 2, "ns") && n == 9 && is(uri, cuts, 4, "services") && is(uri, cuts, 6, "pods")
                && is(uri, cuts, 8, "metrics")) {
            return endpoints(cluster, segment(uri, cuts, 3), segment(uri, cuts, 5), segment(uri, cuts, 7));
        }
        if (is(uri, cuts, 2, "nodes") && n >= 4) {
            return node(cluster, segment(uri, cuts, 3), uri.substring(cuts[4]));
        }
        if (is(uri, cuts, 2, "apiserver") && n == 4 && is(uri, cuts, 3, "metrics")) {
            return new ApiServerTarget(cluster);
        }
        throw shape(uri, cuts);
    }

    private static void checkCharacters(String uri) {
        if (uri.length() > MAX_URI_LENGTH) {
            throw invalid("the path is longer than " + MAX_URI_LENGTH + " characters");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                throw invalid("query strings are not forwarded; the scrape paths are " + ROUTES);
            }
            if (c == '%') {
                throw invalid("percent-encoded characters are not allowed in a scrape path");
            }
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                throw invalid("the path contains a character that no Kubernetes name allows");
            }
        }
    }

    private static PodTarget pod(String cluster, String namespace, String podAndPort) {
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
        return new PodTarget(cluster, namespace, pod, port);
    }

    private static EndpointsTarget endpoints(String cluster, String namespace, String service, String podAndPort) {
        PodTarget pod = pod(cluster, namespace, podAndPort);
        if (!KubeNames.isDns1123Label(service)) {
            throw invalid("service \"" + service + "\" is not a valid DNS-1035 label");
        }
        if (pod.port() != null && pod.port().isNamed()) {
            throw invalid("a Service endpoint's port must be a number");
        }
        return new EndpointsTarget(cluster, namespace, service, pod.pod(), pod.port());
    }

    private static NodeTarget node(String cluster, String node, String kubeletPath) {
        if (!KubeNames.isDns1123Subdomain(node)) {
            throw invalid("node \"" + node + "\" is not a valid DNS-1123 subdomain");
        }
        NodeEndpoint endpoint = NodeEndpoint.ofPath(kubeletPath);
        if (endpoint == null) {
            throw invalid(NODE_PATHS);
        }
        return new NodeTarget(cluster, node, endpoint);
    }

    private static ScrapeException shape(String uri, int[] cuts) {
        if (uri.startsWith("/nodes/", cuts[2])) {
            return invalid(NODE_PATHS);
        }
        if (uri.startsWith("/apiserver/", cuts[2])) {
            return invalid("the API server's only route is /clusters/<cluster>/apiserver/metrics");
        }
        return invalid("expected " + ROUTES);
    }

    private static String segment(String uri, int[] cuts, int k) {
        return uri.substring(cuts[k] + 1, cuts[k + 1]);
    }

    private static boolean is(String uri, int[] cuts, int k, String literal) {
        return cuts[k + 1] - cuts[k] - 1 == literal.length() && uri.startsWith(literal, cuts[k] + 1);
    }

    private static ScrapeException invalid(String why) {
        return new ScrapeException(ScrapeOutcome.INVALID_TARGET, why);
    }
}
