package io.kubescrape.exposition;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The families of an aggregate: each pod's body is parsed and rewritten (target labels added) into a buffer of its
 * own, and only when the whole body parsed are its families merged: a family's HELP, TYPE and samples of every pod
 * end up written together, as the formats require. A pod whose TYPE for a family disagrees with the first pod's
 * loses that family (counted); a pod whose body does not parse contributes nothing; past {@code maxBytes} of kept
 * samples, no more pods are taken. Not thread-safe: one aggregate's pods are added one at a time.
 */
public final class FamilySet implements AutoCloseable {
    /** What became of one pod's body. */
    public record Added(boolean ok, String outcome, String detail, int samples, int familiesDropped) {
        static Added ok(int samples, int dropped) {
            return new Added(true, null, null, samples, dropped);
        }

        static Added failed(String outcome, String detail) {
            return new Added(false, outcome, detail, 0, 0);
        }
    }

    private final boolean openMetricsOut;
    private final ByteBufAllocator alloc;
    private final long maxBytes;
    private final Set<String> reserved;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private long bytes;
    /** Reused for every pod: its body's bytes, and its rewritten samples before they move into a pooled buffer. */
    private final ExpositionReader.Scratch scratch = new ExpositionReader.Scratch();
    private final ByteSink sink = new ByteSink(64 * 1024);

    /**
     * @param reserved family names the aggregate writes itself (its per-pod series): a pod's own are dropped
     */
    public FamilySet(boolean openMetricsOut, ByteBufAllocator alloc, long maxBytes, Set<String> reserved) {
        this.openMetricsOut = openMetricsOut;
        this.alloc = alloc;
        this.maxBytes = maxBytes;
        this.reserved = reserved;
    }

    public long bytes() {
        return bytes;
    }

    public boolean full() {
        return bytes >= maxBytes;
    }

    /** Parses the pod's body and, when all of it parsed and fits, merges its families. */
    public Added add(ByteBuf body, boolean openMetricsIn, TargetLabels labels) {
        if (full()) {
            return Added.failed("too_large", "the aggregate already holds " + bytes + " bytes (aggregate.max_bytes)");
        }
        sink.clear();
        PodFamilies pod = new PodFamilies(openMetricsIn, openMetricsOut, labels, sink, maxBytes - bytes);
        try {
            pod.read(new ExpositionReader(body, openMetricsIn, scratch));
        } catch (ExpositionException e) {
            return Added.failed("parse_error", e.getMessage());
        } catch (PodFamilies.TooLarge e) {
            return Added.failed("too_large", "the pod's samples would pass aggregate.max_bytes (" + maxBytes + ")");
        }
        ByteBuf out = sink.toBuffer(alloc);
        int dropped = 0;
        for (PodFamilies.Staged s : pod.staged()) {
            if (reserved.contains(s.key) || reserved.contains(s.textName) || !merge(s, out)) {
                dropped++;
            }
        }
        bytes += out.readableBytes();
        out.release(); // the merged slices hold what is kept
        return Added.ok(pod.samples(), dropped);
    }

    /** Merges by the name the output writes, so a text and an OpenMetrics pod's counter meet in a text answer. */
    private boolean merge(PodFamilies.Staged s, ByteBuf out) {
        String name = openMetricsOut ? s.key : s.textName;
        Family f = families.get(name);
        if (f == null) {
            f = new Family(s.key, s.textName, s.type, s.help, s.helpFromOpenMetrics, s.unit,
                    alloc.compositeBuffer(Integer.MAX_VALUE));
            families.put(name, f);
        } else if (f.type != s.type && !s.implicit) {
            return false; // samples that came without a TYPE line join whatever type the family has
        }
        for (int i = 0; i < s.ranges.size(); i += 2) {
            int start = s.ranges.get(i);
            f.samples.addComponent(true, out.retainedSlice(start, s.ranges.get(i + 1) - start));
        }
        return true;
    }

    /** The merged families, in the order first seen, in the output format (families it cannot say are left out). */
    public void write(ByteBuf out) {
        for (Family f : families.values()) {
            if (openMetricsOut || f.hasTextForm()) {
                f.write(out, openMetricsOut);
            }
        }
    }

    /**
     * As {@link #write}, sharing the samples' buffers instead of copying them (an aggregate's answer can be large):
     * the answer as a list of buffers, each a family's head or one pod's slice of it, which the caller releases.
     */
    public void append(List<ByteBuf> out) {
        for (Family f : families.values()) {
            if (openMetricsOut || f.hasTextForm()) {
                f.append(out, alloc, openMetricsOut);
            }
        }
    }

    /** Families the output format cannot say (an OpenMetrics gauge histogram in text). */
    public List<String> unwritable() {
        List<String> out = new ArrayList<>();
        for (Family f : families.values()) {
            if (!openMetricsOut && !f.hasTextForm()) {
                out.add(f.key);
            }
        }
        return out;
    }

    public static void writeEof(ByteBuf out) {
        out.writeCharSequence("# EOF\n", StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        families.values().forEach(Family::release);
        families.clear();
    }
}
