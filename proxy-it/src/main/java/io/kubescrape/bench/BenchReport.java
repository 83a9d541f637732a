package io.kubescrape.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's Markdown report: every run, then per body and connection count the ratios kubescrape/nginx,
 * kubescrape/haproxy and kubescrape/kubectl-proxy of each round (runs of one round were interleaved, so only
 * they compare), their medians, and the goals checked against those medians.
 */
final class BenchReport {
    private final List<BenchRun> runs;

    BenchReport(List<BenchRun> runs) {
        this.runs = runs;
    }

    String markdown(List<String> sizes, List<Integer> connections, int rounds) {
        StringBuilder out = new StringBuilder("### Every run\n\n").append(BenchRun.HEADER).append('\n');
        runs.forEach(r -> out.append(r.row()).append('\n'));
        out.append("\n### Ratios per round (kubescrape ÷ other, same round) and their medians\n\n")
                .append("| body | conns | round | req/s ÷ nginx | p99 ÷ nginx | MB/s ÷ nginx | req/s ÷ haproxy "
                        + "| req/s ÷ kubectl-proxy | HTTP/2 ÷ HTTP/1.1 upstream req/s | io_uring ÷ epoll req/s |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> goals = new ArrayList<>();
        for (String size : sizes) {
            for (int conns : connections) {
                List<Double> rps = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                List<Double> mbs = new ArrayList<>();
                List<Double> hap = new ArrayList<>();
                List<Double> kub = new ArrayList<>();
                List<Double> h2 = new ArrayList<>();
                List<Double> uring = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    rps.add(ratio(round, size, conns, "nginx", r -> r.wrk().requestsPerSecond()));
                    p99.add(ratio(round, size, conns, "nginx", r -> r.wrk().p99Micros()));
                    mbs.add(ratio(round, size, conns, "nginx", r -> r.wrk().megabytesPerSecond()));
                    hap.add(ratio(round, size, conns, "haproxy", r -> r.wrk().requestsPerSecond()));
                    kub.add(ratio(round, size, conns, "kubectl-proxy", r -> r.wrk().requestsPerSecond()));
                    h2.add(ratio(round, size, conns, "kubescrape-http2", "kubescrape",
                            r -> r.wrk().requestsPerSecond()));
                    uring.add(ratio(round, size, conns, "kubescrape-epoll", r -> r.wrk().requestsPerSecond()));
                    out.append(String.format("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |%n", size, conns,
                            round, fmt(rps.get(round - 1)), fmt(p99.get(round - 1)), fmt(mbs.get(round - 1)),
                            fmt(hap.get(round - 1)), fmt(kub.get(round - 1)), fmt(h2.get(round - 1)),
                            fmt(uring.get(round - 1))));
                }
                out.append(String.format("| %s | %d | **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** "
                        + "| **%s** |%n", size, conns, fmt(median(rps)), fmt(median(p99)), fmt(median(mbs)),
                        fmt(median(hap)), fmt(median(kub)), fmt(median(h2)), fmt(median(uring))));
                goals(goals, size, conns, median(rps), median(p99), median(mbs), median(kub));
            }
        }
        out.append("\n### Goals (medians of the per-round ratios)\n\n");
        goals.forEach(g -> out.append("- ").append(g).append('\n'));
        return out.toString();
    }

    private static void goals(List<String> goals, String size, int conns, double rps, double p99, double mbs,
                              double kubectl) {
        if (conns == 50 && (size.equals("2k") || size.equals("57.5k"))) {
            goals.add(check(rps, rps >= 1.0, "kubescrape/nginx req/s ≥ 1.0 for " + size + " at 50 connections: " + fmt(rps)));
            goals.add(check(p99, p99 <= 1.0, "kubescrape p99 ≤ nginx p99 for " + size + " at 50 connections: ratio "
                    + fmt(p99)));
        }
        if (size.equals("57.5k")) {
            goals.add(check(kubectl, kubectl >= 2.0, "kubescrape/kubectl-proxy req/s ≥ 2.0 for 57.5k at " + conns
                    + " connections: " + fmt(kubectl)));
        }
        if (size.equals("5m")) {
            goals.add(check(mbs, mbs >= 0.9, "5 MB body MB/s ≥ 0.9 × nginx at " + conns + " connections: " + fmt(mbs)));
        }
    }

    private static String check(double value, boolean met, String what) {
        return (Double.isNaN(value) ? "not measured: " : met ? "met: " : "NOT met: ") + what;
    }

    /** kubescrape's value over the other contender's, same round, body and connections; NaN if either is missing. */
    private double ratio(int round, String size, int conns, String other, ToDoubleFunction<BenchRun> metric) {
        return ratio(round, size, conns, "kubescrape", other, metric);
    }

    private double ratio(int round, String size, int conns, String contender, String other,
                         ToDoubleFunction<BenchRun> metric) {
        Optional<BenchRun> ks = find(round, size, conns, contender);
        Optional<BenchRun> o = find(round, size, conns, other);
        if (ks.isEmpty() || o.isEmpty() || ks.get().failed() || o.get().failed()) {
            return Double.NaN;
        }
        return metric.applyAsDouble(ks.get()) / metric.applyAsDouble(o.get());
    }

    private Optional<BenchRun> find(int round, String size, int conns, String contender) {
        return runs.stream().filter(r -> r.round() == round && r.size().equals(size) && r.connections() == conns
                && r.contender().equals(contender)).findFirst();
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "–" : String.format("%.2f", d);
    }
}
