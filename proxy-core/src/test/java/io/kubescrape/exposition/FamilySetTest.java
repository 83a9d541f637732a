package io.kubescrape.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.testing.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Merging pods' bodies: every line kind of both formats, escapes, special values, conflicts and limits. */
class FamilySetTest {
    private static final TargetLabels A = new TargetLabels("prod", "web", "web-0");
    private static final TargetLabels B = new TargetLabels("prod", "web", "web-1");

    static ByteBuf body(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    static String merged(boolean openMetricsOut, FamilySet set) {
        ByteBuf out = Unpooled.buffer();
        set.write(out);
        if (openMetricsOut) {
            FamilySet.writeEof(out);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        out.release();
        return s;
    }

    private static FamilySet set(boolean openMetricsOut) {
        return new FamilySet(openMetricsOut, PooledByteBufAllocator.DEFAULT, 1 << 20, Set.of("kubescrape_target_up"));
    }

    @Test
    void textFamiliesOfSeveralPodsAreWrittenWholeWithTargetLabels() {
        // Escapes written out: \\ in Java is one backslash in the body.
        String pod = "# HELP http_requests_total Requests \"served\", by \\\\ code.\\nSecond line.\n"
                + "# TYPE http_requests_total counter\n"
                + "http_requests_total{code=\"200\",path=\"/a\\\"b\\\\c\\nd\"} 1027 1733472000123\n"
                + "http_requests_total{code=\"500\",} 3\n"
                + "# a comment\n"
                + "# TYPE latency_seconds histogram\n"
                + "latency_seconds_bucket{le=\"0.1\"} 5\n"
                + "latency_seconds_bucket{le=\"+Inf\"} 7\n"
                + "latency_seconds_sum 1.5e-1\n"
                + "latency_seconds_count 7\n"
                + "# TYPE rpc summary\n"
                + "rpc{quantile=\"0.99\"} NaN\n"
                + "rpc_sum -Inf\n"
                + "rpc_count 0\n"
                + "untyped_thing{pod=\"mine\",namespace=\"x\",exported_pod=\"taken\"} 42\n"
                + "\n"
                + "temperature 21.5\n";
        try (FamilySet set = set(false)) {
            assertThat(set.add(body(pod), false, A).ok()).isTrue();
            FamilySet.Added second = set.add(body(pod), false, B);
            assertThat(second.samples()).isEqualTo(11);
            String out = merged(false, set);
            String web0 = "cluster=\"prod\",namespace=\"web\",pod=\"web-0\"";
            String web1 = "cluster=\"prod\",namespace=\"web\",pod=\"web-1\"";
            assertThat(out).startsWith("# HELP http_requests_total Requests \"served\", by \\\\ code.\\nSecond line.\n"
                    + "# TYPE http_requests_total counter\n"
                    + "http_requests_total{" + web0 + ",code=\"200\",path=\"/a\\\"b\\\\c\\nd\"} 1027 1733472000123\n"
                    + "http_requests_total{" + web0 + ",code=\"500\"} 3\n"
                    + "http_requests_total{" + web1 + ",code=\"200\",path=\"/a\\\"b\\\\c\\nd\"} 1027 1733472000123\n"
                    + "http_requests_total{" + web1 + ",code=\"500\"} 3\n"
                    + "# TYPE latency_seconds histogram\n"
                    + "latency_seconds_bucket{" + web0 + ",le=\"0.1\"} 5\n");
            assertThat(out).contains("rpc{" + web1 + ",quantile=\"0.99\"} NaN\nrpc_sum{" + web1 + "} -Inf\n");
            assertThat(out).as("a pod's own pod and namespace labels become exported_*, past the ones it has")
                    .contains("untyped_thing{" + web0 + ",exported_exported_pod=\"mine\","
                            + "exported_namespace=\"x\",exported_pod=\"taken\"} 42");
            assertThat(out.indexOf("# TYPE rpc summary")).as("one TYPE per family").isEqualTo(out.lastIndexOf("# TYPE rpc"));
            assertThat(out).contains("# TYPE temperature untyped\ntemperature{" + web0 + "} 21.5\ntemperature{" + web1
                    + "} 21.5\n");
        }
    }

    private static final String OPEN_METRICS = """
            # HELP jobs Jobs "done".
            # TYPE jobs counter
            jobs_total{kind="a"} 5 1733472000.5 # {trace_id="abc"} 1 1733471999.25
            jobs_created{kind="a"} 1733400000
            # TYPE build info
            build_info{version="1.2"} 1
            # TYPE queue_bytes gauge
            # UNIT queue_bytes bytes
            queue_bytes +Inf
            # TYPE depth gaugehistogram
            depth_bucket{le="+Inf"} 3
            depth_gcount 3
            depth_gsum 9
            # EOF
            """;

    @Test
    void openMetricsPassesWholeToOpenMetricsWithExemplarsAndEof() {
        try (FamilySet set = set(true)) {
            assertThat(set.add(body(OPEN_METRICS), true, A).ok()).isTrue();
            String out = merged(true, set);
            assertThat(out).isEqualTo("""
                    # HELP jobs Jobs \\"done\\".
                    # TYPE jobs counter
                    jobs_total{cluster="prod",namespace="web",pod="web-0",kind="a"} 5 1733472000.5 # {trace_id="abc"} 1 1733471999.25
                    jobs_created{cluster="prod",namespace="web",pod="web-0",kind="a"} 1733400000
                    # TYPE build info
                    build_info{cluster="prod",namespace="web",pod="web-0",version="1.2"} 1
                    # TYPE queue_bytes gauge
                    # UNIT queue_bytes bytes
                    queue_bytes{cluster="prod",namespace="web",pod="web-0"} +Inf
                    # TYPE depth gaugehistogram
                    depth_bucket{cluster="prod",namespace="web",pod="web-0",le="+Inf"} 3
                    depth_gcount{cluster="prod",namespace="web",pod="web-0"} 3
                    depth_gsum{cluster="prod",namespace="web",pod="web-0"} 9
                    # EOF
                    """);
        }
    }

    @Test
    void openMetricsToTextDropsWhatTextCannotSayAndConvertsTimestamps() {
        try (FamilySet set = set(false)) {
            set.add(body(OPEN_METRICS), true, A);
            String out = merged(false, set);
            assertThat(out).contains("""
                    # HELP jobs_total Jobs "done".
                    # TYPE jobs_total counter
                    jobs_total{cluster="prod",namespace="web",pod="web-0",kind="a"} 5 1733472000500
                    # TYPE build_info gauge
                    build_info{cluster="prod",namespace="web",pod="web-0",version="1.2"} 1
                    """).doesNotContain("jobs_created").doesNotContain("trace_id").doesNotContain("depth")
                    .doesNotContain("# UNIT");
            assertThat(set.unwritable()).containsExactly("depth");
        }
    }

    @Test
    void aTextCounterAndAnOpenMetricsCounterAreOneFamilyInText() {
        try (FamilySet set = set(false)) {
            set.add(body("# TYPE jobs_total counter\njobs_total{kind=\"b\"} 2\n"), false, B);
            set.add(body(OPEN_METRICS), true, A);
            String out = merged(false, set);
            assertThat(out).containsOnlyOnce("# TYPE jobs_total counter").contains("pod=\"web-1\",kind=\"b\"} 2\n")
                    .contains("pod=\"web-0\",kind=\"a\"} 5 1733472000500\n");
        }
    }

    @Test
    void aGaugeAndACounterWhoseNamesDifferByTotalStayApart() {
        // node_exporter's own Go metrics: the gauge go_memstats_alloc_bytes and the counter ..._total.
        String body = "# TYPE go_memstats_alloc_bytes gauge\ngo_memstats_alloc_bytes 1\n"
                + "# TYPE go_memstats_alloc_bytes_total counter\ngo_memstats_alloc_bytes_total 2\n";
        for (boolean openMetricsOut : new boolean[] {false, true}) {
            try (FamilySet set = set(openMetricsOut)) {
                assertThat(set.add(body(body), false, A).ok()).isTrue();
                assertThat(merged(openMetricsOut, set)).contains("# TYPE go_memstats_alloc_bytes gauge")
                        .contains("# TYPE go_memstats_alloc_bytes_total counter");
            }
        }
    }

    @Test
    void theRealNodeExporterBodyMergesWhole() {
        try (FamilySet set = set(false)) {
            FamilySet.Added a = set.add(Unpooled.wrappedBuffer(Fixtures.bytes(
                    "node-exporter-1.5.0.prom")), false, A);
            assertThat(a.ok()).as(String.valueOf(a.detail())).isTrue();
            assertThat(a.samples()).isGreaterThan(300);
        }
    }

    @Test
    void aConflictingTypeDropsThatFamilyOfThatPodOnly() {
        try (FamilySet set = set(false)) {
            set.add(body("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n"), false, A);
            FamilySet.Added b = set.add(body("# TYPE x counter\nx 2\n# TYPE y gauge\ny 2\n"), false, B);
            assertThat(b.ok()).isTrue();
            assertThat(b.familiesDropped()).isEqualTo(1);
            String out = merged(false, set);
            assertThat(out).contains("# TYPE x gauge\nx{cluster=\"prod\",namespace=\"web\",pod=\"web-0\"} 1\n# TYPE y")
                    .contains("y{cluster=\"prod\",namespace=\"web\",pod=\"web-1\"} 2");
        }
    }

    @Test
    void samplesWithoutATypeLineJoinTheFamilyAnotherPodTyped() {
        try (FamilySet set = set(false)) {
            set.add(body("# TYPE jobs_total counter\njobs_total 1\n"), false, A);
            FamilySet.Added b = set.add(body("jobs_total 2\n"), false, B);
            assertThat(b.familiesDropped()).isZero();
            assertThat(merged(false, set)).containsOnlyOnce("# TYPE jobs_total")
                    .contains("jobs_total{cluster=\"prod\",namespace=\"web\",pod=\"web-1\"} 2\n");
        }
    }

    @Test
    void aBodyThatDoesNotParseContributesNothingAndSaysWhichLine() {
        try (FamilySet set = set(false)) {
            FamilySet.Added bad = set.add(body("ok 1\n# TYPE x gauge\nx{a=\"b\" 1\n"), false, A);
            assertThat(bad.ok()).isFalse();
            assertThat(bad.outcome()).isEqualTo("parse_error");
            assertThat(bad.detail()).startsWith("line 3: ");
            assertThat(merged(false, set)).isEmpty();
        }
    }

    @Test
    void pastTheByteBoundNoMorePodsAreTaken() {
        try (FamilySet set = new FamilySet(false, PooledByteBufAllocator.DEFAULT, 200, Set.of())) {
            assertThat(set.add(body("a 1\n"), false, A).ok()).isTrue();
            FamilySet.Added big = set.add(body("b{x=\"" + "y".repeat(300) + "\"} 1\n"), false, B);
            assertThat(big.outcome()).isEqualTo("too_large");
            assertThat(merged(false, set)).doesNotContain("b{");
        }
    }

    @Test
    void aPodsOwnSyntheticFamilyIsDropped() {
        try (FamilySet set = set(false)) {
            FamilySet.Added a = set.add(body("kubescrape_target_up 1\nreal 2\n"), false, A);
            assertThat(a.familiesDropped()).isEqualTo(1);
            assertThat(merged(false, set)).doesNotContain("kubescrape_target_up").contains("real{");
        }
    }
}
