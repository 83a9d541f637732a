package io.kubescrape.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The HA pair: two Prometheus replicas scraping the same 200 pods through one kubescrape. Under load, as two wrk
 * streams on the same URLs at once; paced, as a pair really scrapes (replica A, then replica B a moment later, never
 * at the same time). Reports the upstream requests kubescrape sent per scrape it served, with the share window off
 * (kubescrape's default) and at 2 s.
 */
final class HaPairScenario {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HaPairScenario() {
    }

    static String markdown(List<Contender> kubescrapes, String size, int connections, Duration run, Path dir)
            throws Exception {
        StringBuilder out = new StringBuilder("\n### HA pair (two replicas, the same ").append(BenchUpstream.PODS_PER_BODY)
                .append(" pods of ").append(size).append(")\n\n| kubescrape | load | scrapes | req/s | upstream req/scrape "
                        + "| errors |\n|---|---|---|---|---|---|\n");
        for (Contender c : kubescrapes) {
            String label = c.name().equals("kubescrape-window") ? "share_window 2s" : "share_window off";
            List<String> paths = c.paths(size);
            int each = Math.max(1, connections / 2);
            double saved0 = c.savedRequests();
            CompletableFuture<Wrk.Result> a = CompletableFuture.supplyAsync(() -> wrk(c, paths, each, run, dir));
            CompletableFuture<Wrk.Result> b = CompletableFuture.supplyAsync(() -> wrk(c, paths, each, run, dir));
            Wrk.Result ra = a.get();
            Wrk.Result rb = b.get();
            long scrapes = ra.requests() + rb.requests();
            double upstream = (scrapes - (c.savedRequests() - saved0)) / scrapes;
            String errors = (ra.failures() + " " + rb.failures()).trim();
            out.append(String.format(Locale.ROOT, "| %s | two wrk streams, %d connections each | %,d | %,.0f | %.3f "
                    + "| %s |%n", label, each, scrapes, ra.requestsPerSecond() + rb.requestsPerSecond(), upstream,
                    errors.isEmpty() ? "0" : "**" + errors + "**"));
            Thread.sleep(2_100); // past the window: the load's answers are no longer shared
            saved0 = c.savedRequests();
            int failed = 0;
            for (String path : paths) { // replica A, then replica B, one pod after another
                failed += get(c, path) == 200 ? 0 : 1;
                failed += get(c, path) == 200 ? 0 : 1;
            }
            int paced = 2 * paths.size();
            out.append(String.format(Locale.ROOT, "| %s | paced: A then B, never at once | %,d | – | %.3f | %s |%n",
                    label, paced, (paced - (c.savedRequests() - saved0)) / paced, failed == 0 ? "0" : "**" + failed
                            + " not 200**"));
        }
        return out.toString();
    }

    private static Wrk.Result wrk(Contender c, List<String> paths, int connections, Duration run, Path dir) {
        try {
            return Wrk.run(c.baseUrl(), paths, c.headers(), connections, run, dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int get(Contender c, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(c.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
