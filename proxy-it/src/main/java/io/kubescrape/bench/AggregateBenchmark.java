package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimMain;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Aggregated scrapes under load (a benchmark, not a test): kube-sim with P pods of 57.5 KB in one namespace, the
 * real jar with the given JVM flags, and C callers asking for the namespace's aggregate in a loop for S seconds
 * after a 5-second warm-up under the same load. Reports latency percentiles (the warm-up's apart), the answer's
 * size, how many pods were up, and kubescrape's heap after a full GC.
 * Run: {@code java -cp proxy-it/target/kube-sim.jar io.kubescrape.bench.AggregateBenchmark [pods] [callers]
 * [seconds] [gzip|plain] [kubescrape.jar] [jvm flags...]}.
 */
public final class AggregateBenchmark {
    private static final int WARM_UP_SECONDS = 5;

    private AggregateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KubeSimMain.quietLogging();
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        boolean gzip = args.length > 3 && args[3].equals("gzip");
        Path jar = Path.of(args.length > 4 ? args[4] : "proxy-server/target/kubescrape.jar");
        List<String> jvm = args.length > 5 ? List.of(args).subList(5, args.length) : List.of("-Xmx256m");
        Path dir = Files.createTempDirectory("aggregate-bench");
        try (KubeSimServer sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, pods, List.of("bench"),
                58_880, null, 0, "bench", null, List.of(), null, 1000, false).withNodes(Math.max(3, pods / 100)))) {
            sim.writeKubeconfig(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), """
                    kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]
                    cluster_defaults:
                      discovery: {mode: all}
                      upstream: {max_concurrent_scrapes: 256}
                    aggregate: {max_bytes: 192MiB, max_pods: 5000}
                    """);
            try (Launched ks = Launched.kubescrape(jar, jvm, List.of("--config", cfg.toString()), dir)) {
                run(ks, pods, callers, seconds, gzip);
            }
        }
    }

    private static void run(Launched ks, int pods, int callers, int seconds, boolean gzip) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ks.url() + "/clusters/kube-sim/ns/bench/metrics"))
                .timeout(Duration.ofSeconds(60)).header("X-Prometheus-Scrape-Timeout-Seconds", "10");
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        HttpRequest request = b.build();
        HttpResponse<byte[]> first = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        System.out.printf(Locale.ROOT, "%d pods x 57.5 KB: the aggregate is %.1f MB%s, %s of %s pods down%n", pods,
                first.body().length / 1e6, gzip ? " gzipped" : "", first.headers()
                        .firstValue("X-Kubescrape-Aggregate-Down").orElse("?"), first.headers()
                        .firstValue("X-Kubescrape-Aggregate-Pods").orElse("?"));
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> cold = Collections.synchronizedList(new ArrayList<>());
        LongAdder failed = new LongAdder();
        // The first seconds are the JIT's: measured apart, so the percentiles describe the proxy Prometheus meets.
        long measureFrom = System.nanoTime() + Duration.ofSeconds(WARM_UP_SECONDS).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        // Read and dropped: kube-sim shares this JVM, and 20 MB arrays would make its GC ours.
                        HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200 || !"0".equals(r.headers().firstValue("X-Kubescrape-Aggregate-Down")
                                .orElse("?"))) {
                            failed.increment();
                        }
                    } catch (Exception e) {
                        failed.increment();
                    }
                    (t0 < measureFrom ? cold : latencies).add(System.nanoTime() - t0);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%d callers for %d s: %d aggregates (%d with a pod down or failed); latency "
                        + "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", callers, seconds, sorted.size(),
                failed.sum(), ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99), ms(sorted, 1.0));
        List<Long> warming = new ArrayList<>(cold);
        Collections.sort(warming);
        System.out.printf(Locale.ROOT, "warm-up, the %d s before (not in the percentiles): %d aggregates, p50 %.0f ms, "
                + "max %.0f ms%n", WARM_UP_SECONDS, warming.size(), ms(warming, 0.5), ms(warming, 1.0));
        new ProcessBuilder("jcmd", Long.toString(ks.pid()), "GC.run").start().waitFor();
        Thread.sleep(500);
        String metrics = ks.get("/metrics").body();
        double heap = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(ks.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
        System.out.printf(Locale.ROOT, "kubescrape heap after full GC: %.0f MB; %s%n", heap / 1e6, rss);
    }

    private static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
