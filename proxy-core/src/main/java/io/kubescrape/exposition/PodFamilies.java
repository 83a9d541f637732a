package io.kubescrape.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod's body, read line by line into families: each sample is written, rewritten, into the pod's buffer as it is
 * read (target labels added, values and timestamps in the output format's spelling, exemplars kept where the output
 * can carry them), and each family remembers its ranges of that buffer. A sample joins the family the last HELP or
 * TYPE line named when its name belongs to it, else a family of its own, untyped, as the text format allows.
 */
final class PodFamilies {
    /** The pod's samples would pass what the aggregate may still hold. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** A family as this pod has it. */
    static final class Staged {
        final String name;
        final byte[] nameBytes;
        String key;
        String textName;
        MetricType type;
        /** No HELP, TYPE or UNIT line named it: samples the text format allows without any. */
        boolean implicit;
        byte[] help;
        boolean helpFromOpenMetrics;
        String unit;
        final List<Integer> ranges = new ArrayList<>(2);
        int rangeStart = -1;

        Staged(String name) {
            this.name = name;
            this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final boolean openMetricsIn;
    private final boolean openMetricsOut;
    private final TargetLabels labels;
    private final ByteSink out;
    private final long budget;
    private final Map<String, Staged> staged = new LinkedHashMap<>();
    private Staged current;
    private int samples;

    PodFamilies(boolean openMetricsIn, boolean openMetricsOut, TargetLabels labels, ByteSink out, long budget) {
        this.openMetricsIn = openMetricsIn;
        this.openMetricsOut = openMetricsOut;
        this.labels = labels;
        this.out = out;
        this.budget = budget;
    }

    Collection<Staged> staged() {
        return staged.values();
    }

    int samples() {
        return samples;
    }

    void read(ExpositionReader r) throws ExpositionException, TooLarge {
        ExpositionReader.Kind kind;
        while ((kind = r.next()) != null) {
            switch (kind) {
                case HELP -> declared(r).help = Arrays.copyOfRange(r.body(), r.textStart, r.textEnd);
                case TYPE -> {
                    Staged f = declared(r);
                    if (f.type != null || f.rangeStart >= 0 && out.size() > f.rangeStart) {
                        throw r.fail("a TYPE line for " + f.name + " after its samples or a second one");
                    }
                    f.type = r.type;
                }
                case UNIT -> declared(r).unit = new String(r.body(), r.textStart, r.textEnd - r.textStart, StandardCharsets.UTF_8);
                case SAMPLE -> sample(r);
                default -> {
                    // comments and # EOF say nothing about families
                }
            }
        }
        finish(r);
    }

    /** The family a HELP, TYPE or UNIT line names: the current one, or a new one. */
    private Staged declared(ExpositionReader r) throws ExpositionException {
        String name = new String(r.body(), r.nameStart, r.nameEnd - r.nameStart, StandardCharsets.US_ASCII);
        if (current == null || !current.name.equals(name)) {
            finish(r);
            current = new Staged(name);
            current.helpFromOpenMetrics = openMetricsIn;
        }
        return current;
    }

    private void sample(ExpositionReader r) throws ExpositionException, TooLarge {
        MetricType type = current == null || current.type == null ? MetricType.UNTYPED : current.type;
        if (current == null || !type.belongs(current.nameBytes, r.body(), r.nameStart, r.nameEnd)) {
            finish(r);
            current = new Staged(new String(r.body(), r.nameStart, r.nameEnd - r.nameStart, StandardCharsets.US_ASCII));
            current.implicit = true;
            type = MetricType.UNTYPED;
        }
        if (current.rangeStart < 0) {
            current.rangeStart = out.size();
        }
        samples++;
        if (!openMetricsOut && openMetricsIn && endsWith(r, "_created") && (type == MetricType.COUNTER
                || type == MetricType.HISTOGRAM || type == MetricType.SUMMARY)) {
            return; // the text format has no created timestamps: Prometheus would read a series of its own
        }
        byte[] b = r.body();
        out.write(b, r.nameStart, r.nameEnd - r.nameStart);
        labels.write(r, out);
        out.write(' ');
        Numbers.writeValue(b, r.valueStart, r.valueEnd, out);
        if (r.timestampStart >= 0) {
            out.write(' ');
            Numbers.writeTimestamp(b, r.timestampStart, r.timestampEnd, openMetricsIn, openMetricsOut, out);
        }
        if (r.exemplarStart >= 0 && openMetricsOut) {
            out.write(' ');
            out.write(b, r.exemplarStart, r.exemplarEnd - r.exemplarStart);
        }
        out.write('\n');
        if (out.size() > budget) {
            throw new TooLarge();
        }
    }

    /** Closes the current family: its range, its names, and its place among the pod's families. */
    private void finish(ExpositionReader r) throws ExpositionException {
        Staged f = current;
        current = null;
        if (f == null) {
            return;
        }
        if (f.type == null) {
            f.type = MetricType.UNTYPED;
        }
        if (f.rangeStart >= 0) {
            f.ranges.add(f.rangeStart);
            f.ranges.add(out.size());
        }
        names(f);
        Staged before = staged.get(f.key);
        if (before == null) {
            staged.put(f.key, f);
        } else if (before.type != f.type) {
            throw r.fail("family " + f.key + " twice, as " + before.type.openMetrics() + " and "
                    + f.type.openMetrics());
        } else {
            before.ranges.addAll(f.ranges); // the same family again further down: tolerated, merged
        }
    }

    /**
     * The family's names: as declared, and as the text format writes it (an OpenMetrics counter {@code foo} is the
     * text format's {@code foo_total}). A text counter keeps its {@code _total}: node_exporter alone has the gauge
     * {@code go_memstats_alloc_bytes} beside the counter {@code go_memstats_alloc_bytes_total}.
     */
    private void names(Staged f) {
        f.key = f.name;
        f.textName = openMetricsIn && f.type == MetricType.COUNTER ? f.name + "_total"
                : openMetricsIn && f.type == MetricType.INFO ? f.name + "_info" : f.name;
    }

    private static boolean endsWith(ExpositionReader r, String suffix) {
        int length = r.nameEnd - r.nameStart;
        if (length < suffix.length()) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (r.body()[r.nameEnd - suffix.length() + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
