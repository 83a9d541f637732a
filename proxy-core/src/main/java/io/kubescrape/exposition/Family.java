package io.kubescrape.exposition;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One metric family of an aggregate: its name as the pods declared it, the name the text format writes (an
 * OpenMetrics counter {@code foo} is {@code foo_total} there), its type, HELP and UNIT, and every pod's samples,
 * already rewritten, as slices of the pods' buffers.
 */
final class Family {
    final String key;
    final String textName;
    final MetricType type;
    final byte[] help;
    final boolean helpFromOpenMetrics;
    final String unit;
    final CompositeByteBuf samples;

    Family(String key, String textName, MetricType type, byte[] help, boolean helpFromOpenMetrics, String unit,
           CompositeByteBuf samples) {
        this.key = key;
        this.textName = textName;
        this.type = type;
        this.help = help;
        this.helpFromOpenMetrics = helpFromOpenMetrics;
        this.unit = unit;
        this.samples = samples;
    }

    /** Whether the text format can say this family (it has no gauge histogram). */
    boolean hasTextForm() {
        return type != MetricType.GAUGE_HISTOGRAM;
    }

    /** Writes HELP, TYPE (and UNIT) and the samples, in the output format. */
    void write(ByteBuf out, boolean openMetrics) {
        writeHead(out, openMetrics);
        out.writeBytes(samples, samples.readerIndex(), samples.readableBytes());
    }

    /**
     * As {@link #write}, without copying the samples: the head, then each pod's slice of samples, as buffers of their
     * own (the caller releases them). A socket takes a list of plain buffers as they are; a composite one it would
     * first copy whole.
     */
    void append(List<ByteBuf> out, ByteBufAllocator alloc, boolean openMetrics) {
        ByteBuf head = alloc.buffer(96 + (help == null ? 0 : help.length + 16));
        writeHead(head, openMetrics);
        out.add(head);
        for (ByteBuf part : samples) {
            if (part.isReadable()) {
                out.add(part.retainedDuplicate());
            }
        }
    }

    private void writeHead(ByteBuf out, boolean openMetrics) {
        String name = openMetrics ? key : textName;
        if (help != null) {
            out.writeCharSequence("# HELP " + name + " ", StandardCharsets.UTF_8);
            writeHelp(out, openMetrics);
            out.writeByte('\n');
        }
        out.writeCharSequence("# TYPE " + name + " " + (openMetrics ? type.openMetrics() : type.text()) + "\n",
                StandardCharsets.UTF_8);
        if (openMetrics && unit != null && !unit.isEmpty() && key.endsWith("_" + unit)) {
            out.writeCharSequence("# UNIT " + key + " " + unit + "\n", StandardCharsets.UTF_8);
        }
    }

    /** HELP's escapes differ: OpenMetrics escapes double quotes, the text format must not. */
    private void writeHelp(ByteBuf out, boolean openMetrics) {
        for (int i = 0; i < help.length; i++) {
            byte c = help[i];
            if (c == '\\' && i + 1 < help.length) {
                byte next = help[++i];
                if (next == '"' && !openMetrics) {
                    out.writeByte('"');
                } else {
                    out.writeByte('\\').writeByte(next);
                }
            } else if (c == '"' && openMetrics) {
                out.writeByte('\\').writeByte('"');
            } else {
                out.writeByte(c);
            }
        }
    }

    void release() {
        samples.release();
    }
}
