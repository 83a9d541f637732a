package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimMain;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The soak: wrk load through the real kubescrape jar against two kube-sims for a while, with pod churn and injected
 * faults, sampling kubescrape's resources every interval. Cluster "steady" must never fail a scrape (its faults
 * are ones kubescrape must hide: dropped requests, cut and expired watches, churn); cluster "faults" serves only
 * the fault pods (hung, reset mid-body, 500) and may fail only as they do. See docs/reliability.md.
 *
 * <pre>java -cp proxy-it/target/kube-sim.jar io.kubescrape.bench.Soak [seconds] [kubescrape.jar] [http1|http2]</pre>
 */
public final class Soak {
    /** wrk connections on cluster steady (4 more on cluster faults). */
    static final int STEADY_CONNECTIONS = 16;

    /** How the fault pods may fail a scrape: hung (timeout), reset mid-body (truncated), 500 (pod_error). */
    static final List<String> INJECTED_OUTCOMES = List.of("timeout", "truncated", "pod_error", "downstream_closed");

    /** What a soak saw; {@code problems} is empty when it passed. */
    public record Report(List<SoakSample> samples, Wrk.Result steady, Wrk.Result faults,
                         Map<String, Double> outcomes, List<String> problems) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        KubeSimMain.quietLogging();
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 600);
        Path jar = Path.of(args.length > 1 ? args[1] : "proxy-server/target/kubescrape.jar");
        String protocol = args.length > 2 ? args[2] : "http1";
        if (!protocol.equals("http1") && !protocol.equals("http2")) {
            throw new IllegalArgumentException("the third argument is the upstream protocol, http1 or http2");
        }
        Report r = run(duration, Duration.ofSeconds(10), jar, Files.createTempDirectory("kubescrape-soak"), protocol);
        System.out.print(SoakSample.table(r.samples()));
        System.out.printf("steady: %d requests (%.0f/s), statuses %s, %s%n", r.steady().requests(),
                r.steady().requestsPerSecond(), r.steady().statuses(), orNone(r.steady().failures()));
        System.out.printf("faults: %d requests, statuses %s, %s%n", r.faults().requests(), r.faults().statuses(),
                orNone(r.faults().failures()));
        System.out.println("kubescrape's outcomes (cluster/outcome): " + r.outcomes());
        System.out.println(r.problems().isEmpty() ? "PASS" : "FAIL: " + String.join("; ", r.problems()));
        System.exit(r.problems().isEmpty() ? 0 : 1);
    }

    public static Report run(Duration duration, Duration interval, Path jar, Path workDir) throws Exception {
        return run(duration, interval, jar, workDir, "http1");
    }

    /** @param protocol kubescrape's upstream.protocol for both clusters: http1 (its default) or http2 */
    public static Report run(Duration duration, Duration interval, Path jar, Path workDir, String protocol)
            throws Exception {
        try (KubeSimServer steady = sim(100, false); KubeSimServer faults = sim(0, true)) {
            Path kubeconfig = new Kubeconfigs()
                    .context("steady", steady.url(), steady.caPem(), Kubeconfigs.token("soak-token"))
                    .context("faults", faults.url(), faults.caPem(), Kubeconfigs.token("soak-token"))
                    .write(workDir.resolve("kubeconfig"));
            Path config = Files.writeString(workDir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig
                    + "}]\ncluster_defaults: {upstream: {protocol: " + protocol + "}}\n");
            try (Launched kubescrape = Launched.kubescrape(jar, List.of("-Xmx256m"),
                    List.of("--config", config.toString()), workDir)) {
                List<String> steadyPaths = new ArrayList<>();
                for (String key : steady.podKeys()) {
                    String[] nsName = key.split("/");
                    steadyPaths.add("/clusters/steady/ns/" + nsName[0] + "/pods/" + nsName[1] + "/metrics");
                }
                List<String> faultPaths = faults.podKeys().stream()
                        .map(k -> "/clusters/faults/ns/faults/pods/" + k.split("/")[1] + "/metrics").toList();
                var steadyLoad = CompletableFuture.supplyAsync(() -> load(kubescrape, steadyPaths,
                        STEADY_CONNECTIONS, "10", duration, workDir));
                var faultLoad = CompletableFuture.supplyAsync(() -> load(kubescrape, faultPaths, 4, "1",
                        duration, workDir));
                List<SoakSample> samples = sampleWhileInjecting(kubescrape, steady, duration, interval);
                Wrk.Result s = steadyLoad.get();
                Wrk.Result f = faultLoad.get();
                samples.add(SoakSample.take(kubescrape, duration.toSeconds()));
                Map<String, Double> outcomes = SoakSample.outcomes(kubescrape.get("/metrics").body());
                List<String> problems = new ArrayList<>(SoakVerdict.problems(samples, s, outcomes));
                String drained = drained(kubescrape, steady, faults);
                if (drained != null) {
                    problems.add(drained);
                }
                return new Report(samples, s, f, outcomes, problems);
            }
        }
    }

    /**
     * After the load: nothing in flight, nothing waiting, and the API servers see exactly the connections kubescrape
     * counts open (no connection leaked or half-forgotten on either side). Null when so, else what differs.
     */
    private static String drained(Launched kubescrape, KubeSimServer steady, KubeSimServer faults) throws Exception {
        String last = null;
        for (int i = 0; i < 100; i++) {
            String m = kubescrape.get("/metrics").body();
            double inFlight = Exposition.sum(m, "kubescrape_scrapes_in_flight");
            double pending = Exposition.sum(m, "kubescrape_upstream_pending_acquires");
            double open = Exposition.sum(m, "kubescrape_upstream_connections", "state", "open");
            int seen = steady.openConnections() + faults.openConnections();
            if (inFlight == 0 && pending == 0 && open == seen) {
                return null;
            }
            last = String.format("not drained after the load: %.0f scrapes in flight, %.0f acquires waiting, "
                    + "%.0f upstream connections open in kubescrape, %d at the API servers", inFlight, pending, open, seen);
            Thread.sleep(100);
        }
        return last;
    }

    private static KubeSimServer sim(int pods, boolean faultPods) throws Exception {
        return new KubeSimServer(new SimOptions("127.0.0.1", 0, pods, List.of("default"), 16 * 1024, null,
                0, "soak-token", null, List.of(), null, 3000, faultPods));
    }

    private static String orNone(String failures) {
        return failures.isEmpty() ? "no failures" : failures;
    }

    private static Wrk.Result load(Launched kubescrape, List<String> paths, int connections, String timeout,
                                   Duration duration, Path workDir) {
        try {
            return Wrk.run(kubescrape.url(), paths, Map.of("X-Prometheus-Scrape-Timeout-Seconds", timeout),
                    connections, duration, workDir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every second: churn (a pod added, the one added 20 s before deleted). Every 10 s: the next pod-proxy
     * request dropped (kubescrape retries it). Every 30 s: watches cut, every 60 s also expired (410 relist).
     * Every interval: a sample.
     */
    private static List<SoakSample> sampleWhileInjecting(Launched kubescrape, KubeSimServer steady, Duration duration,
                                                         Duration interval) throws Exception {
        List<SoakSample> samples = new ArrayList<>();
        List<String> churned = new ArrayList<>();
        long start = System.nanoTime();
        for (long second = 1; second < duration.toSeconds(); second++) {
            Thread.sleep(Math.max(0, (start + second * 1_000_000_000L - System.nanoTime()) / 1_000_000));
            churned.add(steady.addPod(100_000 + (int) second));
            if (churned.size() > 20) {
                steady.deletePod(churned.remove(0));
            }
            if (second % 10 == 0) {
                steady.dropNextProxyRequests(1);
            }
            if (second % 60 == 0) {
                steady.expireAndDisconnectWatches();
            } else if (second % 30 == 0) {
                steady.disconnectWatches();
            }
            if (second % interval.toSeconds() == 0) {
                SoakSample sample = SoakSample.take(kubescrape, second);
                samples.add(sample);
                System.out.print("[soak] " + SoakSample.table(List.of(sample)).lines().skip(2).findFirst().orElse("") + "\n");
            }
        }
        return samples;
    }
}
