package io.kubescrape.error;

/**
 * Text that came from outside (an API server's message, a pod's answer, a caller's header) made safe to put on one
 * log line or one line of an error body: control characters become visible escapes ({@code \n}, {@code \u001b}),
 * so such text can neither forge a log line nor paint a terminal, and what it said stays readable.
 */
public final class OutsideText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OutsideText() {
    }

    /** {@code text} with every control character (C0, DEL, C1, and the Unicode line and paragraph separators) escaped. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !control(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the usual case: nothing to copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!control(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
