package io.kubescrape.exposition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sample values and timestamps as both formats write them: a float (digits, a fraction, an exponent), NaN or ±Inf
 * (in the spellings Go's parser takes); a timestamp is whole milliseconds in the text format and seconds, with a
 * fraction, in OpenMetrics. {@link #writeValue} and {@link #writeTimestamp} convert between the two.
 */
final class Numbers {
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE / 1000);

    private Numbers() {
    }

    static void checkValue(ExpositionReader r, int start, int end) throws ExpositionException {
        if (special(r.body(), start, end) == null && !decimal(r.body(), start, end, true)) {
            throw r.fail("\"" + new String(r.body(), start, end - start, StandardCharsets.UTF_8)
                    + "\" is not a number");
        }
    }

    static void checkTimestamp(ExpositionReader r, int start, int end) throws ExpositionException {
        boolean ok = r.openMetrics() ? decimal(r.body(), start, end, true) && inMillisRange(r.body(), start, end)
                : integer(r.body(), start, end);
        if (!ok) {
            throw r.fail("an invalid timestamp");
        }
    }

    /** Seconds whose milliseconds fit a signed 64-bit number, as Prometheus stores them. */
    private static boolean inMillisRange(byte[] b, int start, int end) {
        BigDecimal seconds = new BigDecimal(new String(b, start, end - start, StandardCharsets.US_ASCII));
        return seconds.abs().compareTo(MAX_SECONDS) < 0;
    }

    /** "NaN", "+Inf" or "-Inf" for the spellings of those, else null. */
    static String special(byte[] b, int start, int end) {
        if (end - start > 9 || end == start || !letter(b[end - 1])) {
            return null; // every value of the usual kind ends in a digit: no String for it
        }
        String s = new String(b, start, end - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "nan" -> "NaN";
            case "inf", "+inf", "infinity", "+infinity" -> "+Inf";
            case "-inf", "-infinity" -> "-Inf";
            default -> null;
        };
    }

    /** [+-] digits [. digits] [e [+-] digits], or a fraction alone (.5). */
    private static boolean decimal(byte[] b, int p, int end, boolean exponent) {
        if (p < end && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        int digits = 0;
        while (p < end && digit(b[p])) {
            p++;
            digits++;
        }
        if (p < end && b[p] == '.') {
            p++;
            while (p < end && digit(b[p])) {
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (exponent && p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int e = 0;
            while (p < end && digit(b[p])) {
                p++;
                e++;
            }
            if (e == 0) {
                return false;
            }
        }
        return p == end;
    }

    private static boolean integer(byte[] b, int p, int end) {
        if (p < end && b[p] == '-') {
            p++;
        }
        int start = p;
        while (p < end && digit(b[p])) {
            p++;
        }
        return p > start && p == end && end - start <= 19;
    }

    private static boolean letter(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Writes a value: the special values in the one spelling both formats take, anything else as it came. */
    static void writeValue(byte[] b, int start, int end, ByteSink out) {
        String special = special(b, start, end);
        if (special != null) {
            out.writeAscii(special);
        } else {
            out.write(b, start, end - start);
        }
    }

    /**
     * Writes a timestamp read in one format in the other's unit: milliseconds ↔ seconds, by moving the decimal point
     * (decimal arithmetic, so nothing is rounded but sub-millisecond digits going to the text format).
     */
    static void writeTimestamp(byte[] b, int start, int end, boolean fromOpenMetrics, boolean toOpenMetrics,
                               ByteSink out) {
        if (fromOpenMetrics == toOpenMetrics) {
            out.write(b, start, end - start);
            return;
        }
        String s = new String(b, start, end - start, StandardCharsets.US_ASCII);
        BigDecimal v = new BigDecimal(s);
        v = toOpenMetrics ? v.movePointLeft(3) : v.movePointRight(3).setScale(0, RoundingMode.FLOOR);
        out.writeAscii(v.toPlainString());
    }
}
