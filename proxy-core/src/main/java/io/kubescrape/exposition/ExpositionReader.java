package io.kubescrape.exposition;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a metrics body (Prometheus text 0.0.4 or OpenMetrics 1.0) a line at a time, as bytes: each call to
 * {@link #next} finds the next line's parts as offsets into the body (no String per line, nothing copied) and checks
 * it against the format, or throws with the line's number. Label values and HELP text stay escaped, as the formats
 * write them; {@link ExpositionWriter} writes them back.
 */
public final class ExpositionReader {
    /** What a line is. */
    public enum Kind { HELP, TYPE, UNIT, COMMENT, SAMPLE, EOF }

    /** The body's bytes: read as an array, which the JIT reads far faster than through a ByteBuf's checks. */
    private final byte[] body;
    private final boolean openMetrics;
    private int pos;
    private final int limit;
    private int lineNumber;
    private boolean eofSeen;

    // The current line's parts: [start, end) offsets into the body.
    int nameStart;
    int nameEnd;
    int textStart;
    int textEnd;
    MetricType type;
    int labelCount;
    int[] labels = new int[4 * 8]; // per label: name start, name end, value start, value end (escaped, no quotes)
    int valueStart;
    int valueEnd;
    int timestampStart = -1;
    int timestampEnd = -1;
    int exemplarStart = -1;
    int exemplarEnd = -1;

    /** An array to copy bodies into, reused from one body to the next (a direct or composite body has none). */
    public static final class Scratch {
        private byte[] bytes = new byte[0];

        byte[] holding(ByteBuf body) {
            if (bytes.length < body.readableBytes()) {
                bytes = new byte[Math.max(body.readableBytes(), bytes.length * 2)];
            }
            body.getBytes(body.readerIndex(), bytes, 0, body.readableBytes());
            return bytes;
        }
    }

    public ExpositionReader(ByteBuf body, boolean openMetrics) {
        this(body, openMetrics, null);
    }

    /** @param scratch where to copy a body that has no array of its own; null: a new array */
    public ExpositionReader(ByteBuf body, boolean openMetrics, Scratch scratch) {
        this.openMetrics = openMetrics;
        if (body.hasArray()) {
            this.body = body.array();
            this.pos = body.arrayOffset() + body.readerIndex();
        } else {
            this.body = scratch != null ? scratch.holding(body) : ByteBufUtil.getBytes(body);
            this.pos = 0;
        }
        this.limit = pos + body.readableBytes();
    }

    public boolean openMetrics() {
        return openMetrics;
    }

    byte[] body() {
        return body;
    }

    public int lineNumber() {
        return lineNumber;
    }

    /** The next line's kind (blank lines skipped), or null at the end of the body. */
    public Kind next() throws ExpositionException {
        while (pos < limit) {
            int start = pos;
            int end = start;
            while (end < limit && body[end] != '\n') {
                end++;
            }
            if (end == limit) {
                throw fail("the body does not end with a newline");
            }
            pos = end + 1;
            lineNumber++;
            if (eofSeen) {
                throw fail("content after # EOF");
            }
            if (end == start) {
                if (openMetrics) {
                    throw fail("blank lines are not allowed in OpenMetrics");
                }
                continue;
            }
            return line(start, end);
        }
        if (openMetrics && !eofSeen) {
            throw fail("an OpenMetrics body must end with # EOF");
        }
        return null;
    }

    private Kind line(int start, int end) throws ExpositionException {
        for (int i = start; i < end; i++) {
            byte b = body[i];
            if (b == '\r' || b == 0) {
                throw fail(b == 0 ? "a NUL byte" : "a carriage return (lines end with \\n alone)");
            }
        }
        if (body[start] == '#') {
            return comment(start, end);
        }
        sample(start, end);
        return Kind.SAMPLE;
    }

    private Kind comment(int start, int end) throws ExpositionException {
        if (openMetrics && end - start == 5 && new String(body, start, 5, StandardCharsets.US_ASCII)
                .equals("# EOF")) {
            eofSeen = true;
            return Kind.EOF;
        }
        Kind kind = keyword(start, end, "# HELP ") ? Kind.HELP : keyword(start, end, "# TYPE ") ? Kind.TYPE
                : keyword(start, end, "# UNIT ") && openMetrics ? Kind.UNIT : null;
        if (kind == null) {
            if (openMetrics) {
                throw fail("OpenMetrics allows no comment but HELP, TYPE, UNIT and EOF");
            }
            return Kind.COMMENT;
        }
        int p = start + 7;
        nameStart = p;
        p = metricName(p, end);
        nameEnd = p;
        if (p < end && body[p] != ' ') {
            throw fail("a space must follow the metric name");
        }
        textStart = Math.min(end, p + 1);
        textEnd = end;
        if (kind == Kind.TYPE) {
            type = MetricType.parse(body, textStart, textEnd, openMetrics);
            if (type == null) {
                throw fail("unknown metric type \"" + new String(body, textStart, textEnd - textStart,
                        StandardCharsets.UTF_8) + "\"");
            }
        } else if (kind == Kind.HELP) {
            checkEscapes(textStart, textEnd, openMetrics);
        }
        return kind;
    }

    private boolean keyword(int start, int end, String word) {
        if (end - start < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (body[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void sample(int start, int end) throws ExpositionException {
        nameStart = start;
        int p = metricName(start, end);
        nameEnd = p;
        labelCount = 0;
        if (p < end && body[p] == '{') {
            p = Labels.read(this, p + 1, end);
        }
        p = spaces(p, end, true);
        valueStart = p;
        p = token(p, end);
        valueEnd = p;
        Numbers.checkValue(this, valueStart, valueEnd);
        timestampStart = -1;
        timestampEnd = -1;
        exemplarStart = -1;
        exemplarEnd = -1;
        p = spaces(p, end, false);
        if (p < end && body[p] != '#') {
            timestampStart = p;
            p = token(p, end);
            timestampEnd = p;
            Numbers.checkTimestamp(this, timestampStart, timestampEnd);
            p = spaces(p, end, false);
        }
        if (p < end && openMetrics && body[p] == '#') {
            exemplarStart = p;
            exemplarEnd = end;
            Labels.checkExemplar(this, p, end);
            return;
        }
        if (p < end) {
            throw fail("unexpected text after the sample's value");
        }
    }

    /** The end of a metric name starting at {@code p}. */
    private int metricName(int p, int end) throws ExpositionException {
        int start = p;
        while (p < end) {
            byte b = body[p];
            boolean ok = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == ':'
                    || (p > start && b >= '0' && b <= '9');
            if (!ok) {
                break;
            }
            p++;
        }
        if (p == start) {
            throw fail("expected a metric name");
        }
        return p;
    }

    int spaces(int p, int end, boolean required) throws ExpositionException {
        int start = p;
        while (p < end && (body[p] == ' ' || body[p] == '\t')) {
            p++;
        }
        if (required && p == start) {
            throw fail("expected a space before the value");
        }
        return p;
    }

    private int token(int p, int end) {
        while (p < end && body[p] != ' ' && body[p] != '\t') {
            p++;
        }
        return p;
    }

    /** HELP text and label values: only the escapes the format defines. */
    void checkEscapes(int start, int end, boolean quotes) throws ExpositionException {
        for (int i = start; i < end; i++) {
            if (body[i] == '\\') {
                byte next = i + 1 < end ? body[i + 1] : 0;
                if (next != '\\' && next != 'n' && !(quotes && next == '"')) {
                    throw fail("an invalid escape sequence");
                }
                i++;
            }
        }
    }

    ExpositionException fail(String why) {
        return new ExpositionException(lineNumber, why);
    }

    /** Room for one more label's four offsets. */
    void growLabels() {
        if ((labelCount + 1) * 4 > labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
        }
    }
}
