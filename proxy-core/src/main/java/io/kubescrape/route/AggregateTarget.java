package io.kubescrape.route;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * An aggregated scrape: every target pod of a namespace ({@code /clusters/<c>/ns/<ns>/metrics}) or of the whole
 * cluster ({@code /clusters/<c>/metrics}), narrowed by an optional {@code ?selector=} in Kubernetes' label-selector
 * syntax, fetched at once and answered as one body with each sample labelled with its pod.
 *
 * @param namespace the namespace, or null for the whole cluster
 */
public record AggregateTarget(String cluster, String namespace, LabelSelector selector) {

    /** Whether the path (without its query) is an aggregate's. */
    public static boolean matches(String path) {
        if (!path.startsWith(TargetParser.PREFIX) || !path.endsWith("/metrics")) {
            return false;
        }
        // Counted, not split: every scrape's path passes here first.
        int from = TargetParser.PREFIX.length();
        int to = path.length() - "/metrics".length();
        int first = to < from ? -1 : path.indexOf('/', from);
        if (first < 0 || first >= to) {
            return to >= from;
        }
        int second = path.indexOf('/', first + 1);
        return second > 0 && second < to && path.indexOf('/', second + 1) >= to
                && path.regionMatches(first, "/ns/", 0, 4) && second == first + 3;
    }

    /** Parses a URI that {@link #matches}; a 400 naming the fault otherwise. */
    public static AggregateTarget parse(String uri) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String path = q.rawPath();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c <= 0x20 || c >= 0x7f || c == '\\') {
                throw invalid("the path contains a character that no Kubernetes name allows");
            }
        }
        String[] parts = path.substring(TargetParser.PREFIX.length(), path.length() - "/metrics".length())
                .split("/", -1);
        String cluster = parts[0];
        if (!KubeNames.isClusterName(cluster)) {
            throw invalid("\"" + cluster + "\" is not a valid cluster name");
        }
        String namespace = parts.length == 3 ? parts[2] : null;
        if (namespace != null && !KubeNames.isDns1123Label(namespace)) {
            throw invalid("namespace \"" + namespace + "\" is not a valid DNS-1123 label");
        }
        Map<String, List<String>> params = q.parameters();
        for (String key : params.keySet()) {
            if (!key.equals("selector")) {
                throw new ScrapeException(ScrapeOutcome.INVALID_QUERY, "unknown parameter \"" + key
                        + "\"; an aggregate takes selector");
            }
        }
        List<String> selector = params.get("selector");
        if (selector != null && selector.size() > 1) {
            throw new ScrapeException(ScrapeOutcome.INVALID_QUERY, "one selector at most; join requirements with ,");
        }
        try {
            return new AggregateTarget(cluster, namespace,
                    LabelSelector.parse(selector == null ? null : selector.get(0)));
        } catch (IllegalArgumentException e) {
            throw new ScrapeException(ScrapeOutcome.INVALID_QUERY, "selector: " + e.getMessage());
        }
    }

    private static ScrapeException invalid(String why) {
        return new ScrapeException(ScrapeOutcome.INVALID_TARGET, why);
    }
}
