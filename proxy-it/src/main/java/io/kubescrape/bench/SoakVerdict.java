package io.kubescrape.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a soak passed. A resource "grows steadily" when the mean of the last third of the samples (after the
 * first, which is warm-up) exceeds the mean of the first third by more than 10 % and by more than its slack: a
 * leak of a connection or a buffer per scrape shows as a climb over thousands of scrapes, noise does not.
 * An error is non-injected when cluster "steady" failed any scrape (but for the few wrk cuts short when it stops),
 * or cluster "faults" failed one in a way its fault pods do not.
 */
final class SoakVerdict {
    private SoakVerdict() {
    }

    static List<String> problems(List<SoakSample> samples, Wrk.Result steady, Map<String, Double> outcomes) {
        List<String> problems = new ArrayList<>();
        List<SoakSample> settled = samples.size() > 3 ? samples.subList(1, samples.size()) : samples;
        int third = Math.max(1, settled.size() / 3);
        for (var e : SoakSample.SLACK.entrySet()) {
            double first = mean(settled.subList(0, third), e.getKey());
            double last = mean(settled.subList(settled.size() - third, settled.size()), e.getKey());
            if (last > first * 1.10 && last - first > e.getValue()) {
                problems.add(String.format("%s grew from %.1f to %.1f", e.getKey(), first, last));
            }
        }
        if (!steady.failures().isEmpty()) {
            problems.add("cluster steady: " + steady.failures() + " " + steady.statuses());
        }
        if (steady.requests() == 0) {
            problems.add("no load reached cluster steady");
        }
        outcomes.forEach((key, count) -> {
            String cluster = key.substring(0, key.indexOf('/'));
            String outcome = key.substring(key.indexOf('/') + 1);
            // wrk closes its connections when its time is up, mid-scrape: at most one such scrape per connection.
            boolean loadEnded = outcome.equals("downstream_closed") && count <= Soak.STEADY_CONNECTIONS;
            boolean allowed = outcome.equals("success") || loadEnded
                    || cluster.equals("faults") && Soak.INJECTED_OUTCOMES.contains(outcome);
            if (!allowed && count > 0) {
                problems.add(String.format("%.0f scrapes of %s ended %s", count, cluster, outcome));
            }
        });
        return problems;
    }

    private static double mean(List<SoakSample> samples, String resource) {
        return samples.stream().mapToDouble(s -> s.value(resource)).average().orElse(0);
    }
}
