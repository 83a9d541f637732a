package io.kubescrape.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.resolve.ScrapeEndpoint;
import io.kubescrape.resolve.UpstreamPaths;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property test of PARSE (CI: a fixed seed and 20,000 cases; a longer run is one command away:
 * {@code mvn -pl proxy-core test -Dtest=TargetParserFuzzTest -Dkubescrape.fuzz.count=2000000 -Dkubescrape.fuzz.seed=7}): for random and mutated paths, either the parser refuses with 400, or the path is a
 * valid target whose canonical form is exactly what was sent and whose upstream URL has exactly one of the shapes
 * {@code /api/v1/namespaces/<ns>/pods/[https:]<pod>:<port>/proxy<path>}, {@code /api/v1/nodes/<node>/proxy/metrics}
 * with one of the kubelet's four metrics endpoints, or {@code /metrics}. Nothing else can reach an API server.
 */
class TargetParserFuzzTest {
    private static final Pattern UPSTREAM = Pattern.compile(
            "^/api/v1/namespaces/[a-z0-9]([a-z0-9-]*[a-z0-9])?/pods/(https:)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?:"
                    + "[1-9][0-9]{0,4}/proxy/metrics$"
                    + "|^/api/v1/nodes/[a-z0-9]([a-z0-9.-]*[a-z0-9])?/proxy/metrics(/cadvisor|/resource|/probes)?$"
                    + "|^/metrics$");
    private static final List<String> HOSTILE = List.of("..", ".", "%2e", "%2E%2E", "%2f", "%2F", "%252F", "%00",
            "%0d%0a", "\r\n", "\u0000", "\\", ";", ";x=y", "?", "#", "%", "//", "/", ":", "::", "@", "%c0%ae",
            "\u00c0\u00ae", "\u2024", "\uff0e", " ", "\t", "A", "-", "proxy", "api", "v1", "secrets", "namespaces",
            "https:", "http:", "0", "65536", "99999", "metrics", "ns", "pods", "clusters", "web-0", "kube-system",
            "nodes", "node-1", "apiserver", "services", "cadvisor", "resource", "probes", "exec", "run", "logs", "pprof", "stats");
    private static final List<String> VALID = List.of("/clusters/prod/ns/web/pods/web-0:9100/metrics",
            "/clusters/prod/ns/web/services/web/pods/web-0:9100/metrics",
            "/clusters/prod/nodes/node-1/metrics/cadvisor", "/clusters/prod/apiserver/metrics");

    @Test
    void onlyValidTargetsGetThrough() {
        Random random = new Random(Long.getLong("kubescrape.fuzz.seed", 20261122L));
        int count = Integer.getInteger("kubescrape.fuzz.count", 20_000);
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            String path = i % 2 == 0 ? mutate(VALID.get(random.nextInt(VALID.size())), random) : generate(random);
            Target t;
            try {
                t = TargetParser.parse(path);
            } catch (ScrapeException e) {
                assertThat(e.outcome()).as(path).isEqualTo(ScrapeOutcome.INVALID_TARGET);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("the parser threw " + e + " for " + path, e);
            }
            accepted++;
            assertThat(t.path()).as("a valid path is canonical: nothing was normalized away").isEqualTo(path);
            String upstream = upstream(t, random);
            assertThat(upstream).as(path).matches(UPSTREAM);
        }
        assertThat(accepted).as("the mutations also produce valid paths, so both sides are exercised").isPositive();
    }

    private static String upstream(Target t, Random random) {
        if (t instanceof NodeTarget n) {
            return UpstreamPaths.nodeProxy(n);
        }
        if (t instanceof ApiServerTarget) {
            return UpstreamPaths.apiServerMetrics();
        }
        if (t instanceof EndpointsTarget e) {
            int port = e.port() == null ? 9100 : e.port().number();
            return UpstreamPaths.podProxy(e.asPod(port), new ScrapeEndpoint("http", port, "/metrics"));
        }
        PodTarget p = (PodTarget) t;
        return UpstreamPaths.podProxy(p, new ScrapeEndpoint(random.nextBoolean() ? "https" : "http",
                p.port() == null || p.port().isNamed() ? 9100 : p.port().number(), "/metrics"));
    }

    /** The valid path with a few random edits: a hostile fragment inserted, a character dropped or doubled. */
    private static String mutate(String path, Random r) {
        StringBuilder sb = new StringBuilder(path);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = r.nextInt(sb.length() + 1);
            switch (r.nextInt(4)) {
                case 0 -> sb.insert(at, HOSTILE.get(r.nextInt(HOSTILE.size())));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < sb.length()) {
                        sb.insert(at, sb.charAt(at));
                    }
                }
                default -> sb.insert(at, (char) r.nextInt(0x80));
            }
        }
        return sb.toString();
    }

    /** A path assembled from route words, names and hostile fragments. */
    private static String generate(Random r) {
        StringBuilder sb = new StringBuilder("/clusters/");
        int parts = 2 + r.nextInt(10);
        for (int i = 0; i < parts; i++) {
            sb.append(HOSTILE.get(r.nextInt(HOSTILE.size())));
            if (r.nextInt(3) > 0) {
                sb.append('/');
            }
        }
        return sb.toString();
    }
}
