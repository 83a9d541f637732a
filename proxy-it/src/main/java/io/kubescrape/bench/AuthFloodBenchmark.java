package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimMain;
import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The credential-verification path under attack (a benchmark, not a test): the real kubescrape jar with basic-auth
 * callers (bcrypt cost 10, as {@code htpasswd -nBC 10} makes), N clients sending wrong passwords as fast as they can
 * for S seconds, while one valid caller scrapes a pod and a probe asks {@code /-/healthy} every 10 ms. Reports the
 * valid caller's and the probe's latencies, and what the attackers got. Run:
 * {@code java -cp proxy-it/target/kube-sim.jar io.kubescrape.bench.AuthFloodBenchmark [seconds] [attackers] [jar]}.
 */
public final class AuthFloodBenchmark {
    /** What one run measured; latencies in milliseconds. */
    public record Result(List<Double> scrapes, List<Double> probes, long refused, long shed, long otherAnswers) {
        public double p(List<Double> sorted, double q) {
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1,
                    Math.floor(q * sorted.size())));
        }

        public String report() {
            return String.format("valid caller: %d scrapes, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                            + "/-/healthy: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                            + "attackers: %d answered 401, %d shed with 503, %d other answers%n",
                    scrapes.size(), p(scrapes, 0.5), p(scrapes, 0.99), p(scrapes, 1), probes.size(), p(probes, 0.5),
                    p(probes, 0.99), p(probes, 1), refused, shed, otherAnswers);
        }
    }

    private AuthFloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KubeSimMain.quietLogging();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int attackers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path jar = Path.of(args.length > 2 ? args[2] : "proxy-server/target/kubescrape.jar");
        System.out.print(run(jar, Duration.ofSeconds(seconds), attackers).report());
    }

    /** Starts a simulated cluster and the jar, floods it for {@code length}, and stops both. */
    public static Result run(Path jar, Duration length, int attackers) throws Exception {
        Path dir = Files.createTempDirectory("auth-flood");
        try (KubeSimServer sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, 5,
                List.of("default", "monitoring"), 2048, null, 0, "bench", null, List.of(), null, 1000, false))) {
            sim.writeKubeconfig(dir.resolve("kubeconfig"));
            String hash = BCrypt.withDefaults().hashToString(10, "s3cret".toCharArray());
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), """
                    kubeconfigs: [{path: kubeconfig, contexts: [kube-sim]}]
                    callers:
                      - {name: ops, username: ops, password_hash: '%s', allow: [{cluster: '*'}]}
                    """.formatted(hash));
            try (Launched ks = Launched.kubescrape(jar, List.of(), List.of("--config", cfg.toString()), dir)) {
                return flood(ks.url(), length, attackers);
            }
        }
    }

    private static Result flood(String url, Duration length, int attackers) throws Exception {
        HttpClient attackClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient validClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String pod = url + "/clusters/kube-sim/ns/default/pods/web-0/metrics";
        while (get(probeClient, url + "/-/ready", null) != 200) {
            Thread.sleep(20);
        }
        String valid = basic("ops", "s3cret");
        while (get(validClient, pod, valid) != 200) { // the first check is a bcrypt; then it is remembered
            Thread.sleep(20);
        }
        long end = System.nanoTime() + length.toNanos();
        LongAdder refused = new LongAdder();
        LongAdder shed = new LongAdder();
        LongAdder other = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < attackers; i++) {
            int n = i;
            threads.add(started(() -> {
                for (long k = 0; System.nanoTime() < end; k++) {
                    // Known and unknown users alike, a new wrong password each time: nothing to remember.
                    String user = k % 2 == 0 ? "ops" : "nobody-" + n;
                    int status = get(attackClient, pod, basic(user, "wrong-" + n + "-" + k));
                    (status == 401 ? refused : status == 503 ? shed : other).increment();
                }
            }));
        }
        List<Double> scrapes = Collections.synchronizedList(new ArrayList<>());
        List<Double> probes = Collections.synchronizedList(new ArrayList<>());
        threads.add(started(() -> time(validClient, pod, valid, end, scrapes, 0)));
        threads.add(started(() -> time(probeClient, url + "/-/healthy", null, end, probes, 10)));
        for (Thread t : threads) {
            t.join();
        }
        List<Double> s = new ArrayList<>(scrapes);
        List<Double> p = new ArrayList<>(probes);
        Collections.sort(s);
        Collections.sort(p);
        return new Result(s, p, refused.sum(), shed.sum(), other.sum());
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void time(HttpClient client, String url, String auth, long end, List<Double> into, long pauseMs) {
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            if (get(client, url, auth) == 200) {
                into.add((System.nanoTime() - t0) / 1e6);
            }
            if (pauseMs > 0) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static int get(HttpClient client, String url, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
