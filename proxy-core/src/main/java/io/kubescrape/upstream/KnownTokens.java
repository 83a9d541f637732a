package io.kubescrape.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of ASCII tokens, found by exact bytes: lets a decoder hand out one shared instance for a token seen
 * on every message (a status line word, a usual header name) instead of a new string each time.
 */
final class KnownTokens<T extends CharSequence> {
    private final List<List<T>> byLength = new ArrayList<>();

    @SafeVarargs
    KnownTokens(T... tokens) {
        for (T t : tokens) {
            while (byLength.size() <= t.length()) {
                byLength.add(new ArrayList<>(2));
            }
            byLength.get(t.length()).add(t);
        }
    }

    /** The token spelled exactly (case too) by {@code bytes[start, start + length)}, else null. */
    T find(byte[] bytes, int start, int length) {
        if (length >= byLength.size()) {
            return null;
        }
        List<T> candidates = byLength.get(length);
        for (int c = 0; c < candidates.size(); c++) {
            T t = candidates.get(c);
            if (sameBytes(t, bytes, start, length)) {
                return t;
            }
        }
        return null;
    }

    private static boolean sameBytes(CharSequence token, byte[] bytes, int start, int length) {
        for (int i = length - 1; i >= 0; i--) { // header names share prefixes (Content-*): compare from the end
            if (token.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }
}
