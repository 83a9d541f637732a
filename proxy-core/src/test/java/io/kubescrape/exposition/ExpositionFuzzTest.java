package io.kubescrape.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.testing.Fixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property test of the parser and rewriter (CI: a fixed seed and 3,000 cases; longer with
 * {@code -Dkubescrape.fuzz.count=200000 -Dkubescrape.fuzz.seed=7}): for real bodies mutated at random and for
 * bodies made of random fragments, in both formats, no exception escapes, and whatever the aggregate writes parses
 * again, line by line, in the output format, with the target labels on every sample.
 */
class ExpositionFuzzTest {
    private static final List<String> FRAGMENTS = List.of("# HELP ", "# TYPE ", "# UNIT ", "# EOF", "# ", "counter",
            "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown", "foo", "foo_total",
            "foo_bucket", "foo_sum", "foo_count", "foo_created", "bar_info", "{", "}", "=", "\"", ",", "le=\"+Inf\"",
            "pod", "namespace", "exported_pod", "\\", "\\\\", "\\n", "\\\"", " ", "\t", "\n", "\r", "1", "-1", "1.5e3",
            "NaN", "+Inf", "-Inf", "nan", "Inf", ".5", "1e", "0x10", "1733472000123", "1733472000.5", " # {a=\"b\"} 1",
            "\u00e9", "\u0000", "a", "_", ":", "9");
    private static final TargetLabels LABELS = new TargetLabels("prod", "web", "web-0");

    @Test
    void nothingEscapesAndEverythingWrittenParsesAgain() throws Exception {
        Random random = new Random(Long.getLong("kubescrape.fuzz.seed", 20261206L));
        int count = Integer.getInteger("kubescrape.fuzz.count", 3000);
        String text = new String(Fixtures.bytes("node-exporter-1.5.0.prom"), StandardCharsets.UTF_8);
        String om = new String(Fixtures.bytes("openmetrics-sample.txt"), StandardCharsets.UTF_8);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean openMetricsIn = random.nextBoolean();
            String body = switch (i % 3) {
                case 0 -> mutate(openMetricsIn ? om : text.substring(0, Math.min(text.length(), 20_000)), random);
                case 1 -> generate(random);
                default -> openMetricsIn ? om : text;
            };
            for (boolean openMetricsOut : new boolean[] {false, true}) {
                kept += roundTrip(body, openMetricsIn, openMetricsOut) ? 1 : 0;
            }
        }
        assertThat(kept).as("both sides are exercised: some bodies parse").isPositive();
    }

    private static boolean roundTrip(String body, boolean openMetricsIn, boolean openMetricsOut) throws Exception {
        ByteBuf in = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer();
        try (FamilySet set = new FamilySet(openMetricsOut, PooledByteBufAllocator.DEFAULT, 1 << 24, Set.of())) {
            FamilySet.Added added;
            try {
                added = set.add(in, openMetricsIn, LABELS);
            } catch (RuntimeException e) {
                throw new AssertionError("the aggregate threw " + e + " for:\n" + body, e);
            }
            set.write(out);
            if (openMetricsOut) {
                FamilySet.writeEof(out);
            }
            ExpositionReader again = new ExpositionReader(out, openMetricsOut);
            try {
                ExpositionReader.Kind k;
                while ((k = again.next()) != null) {
                    if (k == ExpositionReader.Kind.SAMPLE) {
                        assertThat(out.toString(again.nameEnd, 46, StandardCharsets.UTF_8))
                                .startsWith("{cluster=\"prod\",namespace=\"web\",pod=\"web-0\"");
                    }
                }
            } catch (ExpositionException e) {
                throw new AssertionError("the aggregate wrote what does not parse (" + e.getMessage() + "):\n"
                        + out.toString(StandardCharsets.UTF_8) + "\nfrom:\n" + body, e);
            }
            return added.ok();
        } finally {
            in.release();
            out.release();
        }
    }

    private static String mutate(String body, Random r) {
        StringBuilder sb = new StringBuilder(body);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = r.nextInt(sb.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> sb.insert(at, FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                default -> sb.insert(at, (char) r.nextInt(0x80));
            }
        }
        return sb.toString();
    }

    private static String generate(Random r) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + r.nextInt(40);
        for (int i = 0; i < parts; i++) {
            sb.append(FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
        }
        return sb.append('\n').toString();
    }
}
