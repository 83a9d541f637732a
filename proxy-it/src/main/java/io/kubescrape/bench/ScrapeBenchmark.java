package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrape throughput side by side: direct, kubescrape, nginx, haproxy and kubectl proxy in front of one shared
 * HTTPS upstream ({@link BenchUpstream}), run in turn within each round (interleaved, so machine noise hits all
 * alike), for each body size and connection count. Prints a Markdown report ({@link BenchReport}).
 *
 * <pre>bench/scrape.sh [--rounds 3] [--seconds 10] [--sizes 2k,57.5k,5m] [--connections 4,50] [--upstream http1|http2]
 *     [--contenders direct,kubescrape,kubescrape-http2,kubescrape-epoll,nginx,haproxy,kubectl-proxy]
 *     [--jar proxy-server/target/kubescrape.jar]
 *     [--ha-pair yes|no]
 *     [--jvm-flags "extra flags for kubescrape's JVM, e.g. -XX:StartFlightRecording=..."]</pre>
 */
public final class ScrapeBenchmark {
    /** The settings, from the command line. */
    public record Settings(int rounds, Duration run, List<String> sizes, List<Integer> connections, List<String> contenders,
                    Path jar, List<String> jvmFlags, boolean upstreamHttp2, boolean haPair) {
        public static Settings parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>(Map.of("--rounds", "3", "--seconds", "10",
                    "--sizes", "2k,57.5k,5m", "--connections", "4,50",
                    "--contenders", "", "--jar", "proxy-server/target/kubescrape.jar"));
            a.put("--jvm-flags", "");
            a.put("--upstream", "http2"); // as a real (Go) API server: h2 and http/1.1 offered in ALPN
            a.put("--ha-pair", "yes");
            for (int i = 0; i < args.length; i++) {
                if (!a.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: "
                            + a.keySet());
                }
                a.put(args[i], args[++i]);
            }
            List<String> sizes = List.of(a.get("--sizes").split(","));
            sizes.forEach(BenchUpstream::podFor);
            String upstream = a.get("--upstream");
            if (!upstream.equals("http1") && !upstream.equals("http2")) {
                throw new IllegalArgumentException("--upstream is http1 or http2, not " + upstream);
            }
            boolean h2 = upstream.equals("http2");
            // kubescrape's HTTP/2 pool needs an upstream that speaks it; every other contender runs on either.
            // kubescrape-epoll (a transport comparison) runs only when asked for.
            List<String> contenders = a.get("--contenders").isBlank()
                    ? Contender.ALL.stream().filter(c -> (h2 || !c.equals("kubescrape-http2"))
                            && !c.equals("kubescrape-epoll")).toList()
                    : List.of(a.get("--contenders").split(","));
            if (!h2 && contenders.contains("kubescrape-http2")) {
                throw new IllegalArgumentException("kubescrape-http2 needs --upstream http2");
            }
            return new Settings(Integer.parseInt(a.get("--rounds")),
                    Duration.ofSeconds(Long.parseLong(a.get("--seconds"))), sizes,
                    Arrays.stream(a.get("--connections").split(",")).map(Integer::valueOf).toList(),
                    contenders, Path.of(a.get("--jar")),
                    a.get("--jvm-flags").isBlank() ? List.of() : List.of(a.get("--jvm-flags").trim().split("\\s+")), h2,
                    a.get("--ha-pair").equals("yes"));
        }
    }

    private ScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KubeSimMain.quietLogging();
        Settings s = Settings.parse(args);
        // nginx workers run as an unprivileged user when started by root: they must be able to read the bodies.
        Path dir = Files.createTempDirectory("kubescrape-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            System.out.println(run(s, dir));
        } finally {
            // The bodies (5 MB and more) go; the configurations and every contender's log stay for a look.
            try (var bodies = Files.walk(dir.resolve("bodies"))) {
                for (Path p : bodies.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (NoSuchFileException e) {
                // the upstream never started
            }
            System.err.println("configurations and logs of this run: " + dir);
        }
    }

    /** Runs the benchmark and returns its report. */
    public static String run(Settings s, Path dir) throws Exception {
        BenchUpstream up = new BenchUpstream(dir, s.upstreamHttp2());
        List<Contender> started = new ArrayList<>();
        try (Launched upstream = up.start()) {
            for (String name : s.contenders()) {
                started.add(Contender.start(name, up, s.jar().toAbsolutePath(), s.jvmFlags(), dir));
            }
            // JIT, pools and TLS sessions warm before anything counts: a proxy in service runs warm. kubescrape's
            // JIT (C2) is still compiling after 8 s of load; with 4 s per body size its first measured runs (round 1,
            // 2 KB) had 5-8 times the p99 of later rounds. So every contender gets up to 10 s per body size.
            Duration warm = Duration.ofSeconds(Math.max(1, Math.min(10, s.run().toSeconds())));
            for (Contender c : started) {
                for (String size : s.sizes()) {
                    Wrk.run(c.baseUrl(), c.paths(size), c.headers(), 50, warm, dir);
                }
            }
            List<BenchRun> runs = new ArrayList<>();
            for (int round = 1; round <= s.rounds(); round++) {
                for (String size : s.sizes()) {
                    for (int conns : s.connections()) {
                        for (Contender c : started) {
                            BenchRun r = once(round, size, conns, c, s.run(), dir);
                            System.err.println(r.row());
                            runs.add(r);
                        }
                    }
                }
            }
            String report = started(started) + new BenchReport(runs).markdown(s.sizes(), s.connections(), s.rounds());
            Contender plain = started.stream().filter(c -> c.name().equals("kubescrape")).findFirst().orElse(null);
            if (s.haPair() && plain != null) {
                Contender windowed = Contender.start("kubescrape-window", up, s.jar().toAbsolutePath(), s.jvmFlags(),
                        dir);
                started.add(windowed);
                String size = s.sizes().contains("57.5k") ? "57.5k" : s.sizes().get(0);
                Wrk.run(windowed.baseUrl(), windowed.paths(size), windowed.headers(), 50, warm, dir); // as the others
                report += HaPairScenario.markdown(List.of(plain, windowed), size,
                        Collections.max(s.connections()), s.run(), dir);
            }
            return report;
        } finally {
            for (Contender c : started) {
                c.close();
            }
        }
    }

    /** How each kubescrape contender started (its transport, TLS provider), from its startup log line. */
    private static String started(List<Contender> started) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Contender c : started) {
            if (c.name().startsWith("kubescrape")) {
                String line = c.process().logLine(" listening on ");
                int from = line.indexOf("kubescrape ");
                out.append(c.name()).append(": ").append(from < 0 ? "no startup line in its log"
                        : "`" + line.substring(from) + "`").append("\n\n");
            }
        }
        return out.toString();
    }

    static BenchRun once(int round, String size, int conns, Contender c, Duration run, Path dir) throws Exception {
        long pid = c.process() == null ? -1 : c.process().pid();
        double cpu0 = pid < 0 ? 0 : ProcessStats.cpuSeconds(pid);
        double saved0 = c.savedRequests();
        Wrk.Result w = Wrk.run(c.baseUrl(), c.paths(size), c.headers(), conns, run, dir);
        double cpu = pid < 0 ? Double.NaN : (ProcessStats.cpuSeconds(pid) - cpu0) / w.requests() * 1000;
        double rss = pid < 0 ? Double.NaN : ProcessStats.rssBytes(pid) / (1024.0 * 1024);
        double upstream = (w.requests() - (c.savedRequests() - saved0)) / w.requests();
        return new BenchRun(round, size, conns, c.name(), w, cpu, rss, upstream);
    }
}
