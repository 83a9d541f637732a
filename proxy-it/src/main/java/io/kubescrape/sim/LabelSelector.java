package io.kubescrape.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Kubernetes label selectors: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}. */
final class LabelSelector {
    private LabelSelector() {
    }

    static Predicate<Map<String, String>> parse(String text) {
        if (text == null || text.isBlank()) {
            return labels -> true;
        }
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        for (String term : split(text)) {
            terms.add(term(term.trim()));
        }
        return labels -> terms.stream().allMatch(t -> t.test(labels));
    }

    private static Predicate<Map<String, String>> term(String t) {
        int i;
        if ((i = t.indexOf(" notin ")) > 0) {
            String k = t.substring(0, i).trim();
            Set<String> values = values(t.substring(i + 7));
            return l -> !values.contains(l.get(k));
        }
        if ((i = t.indexOf(" in ")) > 0) {
            String k = t.substring(0, i).trim();
            Set<String> values = values(t.substring(i + 4));
            return l -> values.contains(l.get(k));
        }
        if ((i = t.indexOf("!=")) > 0) {
            String k = t.substring(0, i).trim();
            String v = t.substring(i + 2).trim();
            return l -> !v.equals(l.get(k));
        }
        if ((i = t.indexOf("==")) > 0) {
            String k = t.substring(0, i).trim();
            String v = t.substring(i + 2).trim();
            return l -> v.equals(l.get(k));
        }
        if ((i = t.indexOf('=')) > 0) {
            String k = t.substring(0, i).trim();
            String v = t.substring(i + 1).trim();
            return l -> v.equals(l.get(k));
        }
        if (t.startsWith("!")) {
            String k = t.substring(1).trim();
            return l -> !l.containsKey(k);
        }
        if (t.isEmpty() || t.contains(" ") || t.contains("(")) {
            throw new IllegalArgumentException("unable to parse requirement: \"" + t + "\"");
        }
        return l -> l.containsKey(t);
    }

    private static Set<String> values(String list) {
        String s = list.trim();
        if (!s.startsWith("(") || !s.endsWith(")")) {
            throw new IllegalArgumentException("expected (values) in \"" + list + "\"");
        }
        Set<String> out = new HashSet<>();
        for (String v : s.substring(1, s.length() - 1).split(",")) {
            out.add(v.trim());
        }
        return out;
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
