package io.kubescrape.exposition;


/** A sample's label set, and an OpenMetrics exemplar's, read as offsets into the body. */
final class Labels {
    /** OpenMetrics' limit on an exemplar's label names and values together, in characters. */
    private static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

    private Labels() {
    }

    /**
     * Reads {@code name="value",...}} from {@code p} (just after the '{') into the reader's label offsets; returns the
     * position after the '}'. Label names must be distinct; values keep their escapes.
     */
    static int read(ExpositionReader r, int p, int end) throws ExpositionException {
        byte[] b = r.body();
        boolean first = true;
        while (true) {
            if (p < end && b[p] == '}' && (first || !r.openMetrics())) {
                return p + 1; // the text format allows a trailing comma; OpenMetrics does not
            }
            int nameStart = p;
            while (p < end && labelNameChar(b[p], p == nameStart)) {
                p++;
            }
            if (p == nameStart) {
                throw r.fail("expected a label name");
            }
            int nameEnd = p;
            if (p + 1 >= end || b[p] != '=' || b[p + 1] != '"') {
                throw r.fail("expected =\" after a label name");
            }
            p += 2;
            int valueStart = p;
            while (p < end && b[p] != '"') {
                p += b[p] == '\\' ? 2 : 1;
            }
            if (p >= end) {
                throw r.fail("a label value without its closing quote");
            }
            r.checkEscapes(valueStart, p, true);
            for (int i = 0; i < r.labelCount; i++) {
                if (same(b, r.labels[i * 4], r.labels[i * 4 + 1], nameStart, nameEnd)) {
                    throw r.fail("a label name twice in one sample");
                }
            }
            r.growLabels();
            int at = r.labelCount++ * 4;
            r.labels[at] = nameStart;
            r.labels[at + 1] = nameEnd;
            r.labels[at + 2] = valueStart;
            r.labels[at + 3] = p;
            p++;
            first = false;
            if (p < end && b[p] == ',') {
                p++;
            } else if (p < end && b[p] == '}') {
                return p + 1;
            } else {
                throw r.fail("expected , or } after a label value");
            }
        }
    }

    /** {@code # {labels} value [timestamp]}: what an OpenMetrics exemplar must look like. */
    static void checkExemplar(ExpositionReader r, int p, int end) throws ExpositionException {
        byte[] b = r.body();
        if (end - p < 4 || b[p + 1] != ' ' || b[p + 2] != '{') {
            throw r.fail("an exemplar is # {labels} value [timestamp]");
        }
        int saved = r.labelCount;
        int[] kept = r.labels.clone();
        r.labelCount = 0;
        int q = read(r, p + 3, end);
        int chars = 0;
        for (int i = 0; i < r.labelCount; i++) {
            chars += r.labels[i * 4 + 1] - r.labels[i * 4] + r.labels[i * 4 + 3] - r.labels[i * 4 + 2];
        }
        r.labelCount = saved;
        r.labels = kept;
        if (chars > MAX_EXEMPLAR_LABEL_CHARS) {
            throw r.fail("an exemplar's labels are longer than 128 characters");
        }
        q = r.spaces(q, end, true);
        int valueStart = q;
        while (q < end && b[q] != ' ') {
            q++;
        }
        Numbers.checkValue(r, valueStart, q);
        if (q < end) {
            q = r.spaces(q, end, false);
            int tsStart = q;
            while (q < end && b[q] != ' ') {
                q++;
            }
            Numbers.checkTimestamp(r, tsStart, q);
            if (q != end) {
                throw r.fail("unexpected text after an exemplar");
            }
        }
    }

    private static boolean labelNameChar(byte c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (!first && c >= '0' && c <= '9');
    }

    static boolean same(byte[] b, int s1, int e1, int s2, int e2) {
        if (e1 - s1 != e2 - s2) {
            return false;
        }
        for (int i = 0; i < e1 - s1; i++) {
            if (b[s1 + i] != b[s2 + i]) {
                return false;
            }
        }
        return true;
    }
}
