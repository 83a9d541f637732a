package io.kubescrape.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A family's type, as either format names it. The text format knows counter, gauge, histogram, summary and untyped;
 * OpenMetrics adds gaugehistogram, stateset and info and calls untyped "unknown". Each type says which sample-name
 * suffixes belong to its family and how the other format spells it.
 */
public enum MetricType {
    COUNTER("counter", "counter", "_total", "_created"),
    GAUGE("gauge", "gauge"),
    HISTOGRAM("histogram", "histogram", "_bucket", "_sum", "_count", "_created"),
    SUMMARY("summary", "summary", "_sum", "_count", "_created"),
    UNTYPED("untyped", "unknown"),
    GAUGE_HISTOGRAM("gauge", "gaugehistogram", "_bucket", "_gsum", "_gcount"),
    STATE_SET("gauge", "stateset"),
    INFO("gauge", "info", "_info");

    private final String text;
    private final String openMetrics;
    private final byte[][] suffixBytes;

    MetricType(String text, String openMetrics, String... suffixes) {
        this.text = text;
        this.openMetrics = openMetrics;
        this.suffixBytes = new byte[suffixes.length][];
        for (int i = 0; i < suffixes.length; i++) {
            this.suffixBytes[i] = suffixes[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** How the text format writes it (the OpenMetrics-only types become gauges, as Prometheus reads them). */
    public String text() {
        return text;
    }

    public String openMetrics() {
        return openMetrics;
    }

    /** The type a TYPE line names in this format, or null when the format has no such type. */
    static MetricType parse(byte[] buf, int start, int end, boolean openMetrics) {
        String word = new String(buf, start, end - start, StandardCharsets.US_ASCII);
        for (MetricType t : values()) {
            if (openMetrics ? t.openMetrics.equals(word) : t.text.equals(word) && t.ordinal() <= UNTYPED.ordinal()) {
                return t;
            }
        }
        return null;
    }

    /** Whether a sample called {@code sample} belongs to a family of this type called {@code family}. */
    boolean belongs(byte[] family, byte[] buf, int start, int end) {
        int length = end - start;
        if (length < family.length || !Arrays.equals(family, 0, family.length, buf, start, start + family.length)) {
            return false;
        }
        if (length == family.length) {
            return this != INFO && this != HISTOGRAM && this != GAUGE_HISTOGRAM;
        }
        for (byte[] suffix : suffixBytes) {
            if (length == family.length + suffix.length && Arrays.equals(suffix, 0, suffix.length, buf,
                    start + family.length, end)) {
                return true;
            }
        }
        return false;
    }
}
