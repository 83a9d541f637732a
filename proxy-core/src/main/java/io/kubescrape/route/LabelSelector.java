package io.kubescrape.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Kubernetes label selector, parsed: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)},
 * {@code a notin (x,y)}, {@code a}, {@code !a}, comma-separated, all of which must hold. Keys are checked as
 * Kubernetes checks label keys ({@code [prefix/]name}), values as label values; anything else is an
 * IllegalArgumentException naming the fault.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {
    private static final int MAX_LENGTH = 4096;

    private record Requirement(String key, String op, Set<String> values) {
        boolean test(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case "=" -> v != null && values.contains(v);
                case "!=" -> v == null || !values.contains(v);
                case "in" -> v != null && values.contains(v);
                case "notin" -> v == null || !values.contains(v);
                case "exists" -> v != null;
                default -> v == null; // "!": does not exist
            };
        }
    }

    private final List<Requirement> requirements;
    private final String text;

    private LabelSelector(List<Requirement> requirements, String text) {
        this.requirements = requirements;
        this.text = text;
    }

    /** Everything: the selector of an empty string. */
    public static final LabelSelector ALL = new LabelSelector(List.of(), "");

    public static LabelSelector parse(String s) {
        if (s == null || s.isBlank()) {
            return ALL;
        }
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the selector is longer than " + MAX_LENGTH + " characters");
        }
        List<Requirement> out = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            p = skipSpaces(s, p);
            int[] end = new int[1];
            out.add(requirement(s, p, end));
            p = skipSpaces(s, end[0]);
            if (p < s.length()) {
                if (s.charAt(p) != ',') {
                    throw new IllegalArgumentException("expected , at position " + p + " of the selector");
                }
                p++;
                if (skipSpaces(s, p) == s.length()) {
                    throw new IllegalArgumentException("the selector ends with a comma");
                }
            }
        }
        return new LabelSelector(List.copyOf(out), s);
    }

    private static Requirement requirement(String s, int p, int[] end) {
        boolean not = p < s.length() && s.charAt(p) == '!';
        if (not) {
            p = skipSpaces(s, p + 1);
        }
        int k = p;
        while (p < s.length() && keyChar(s.charAt(p))) {
            p++;
        }
        String key = s.substring(k, p);
        checkKey(key);
        p = skipSpaces(s, p);
        if (not) {
            end[0] = p;
            return new Requirement(key, "!", Set.of());
        }
        if (p >= s.length() || s.charAt(p) == ',') {
            end[0] = p;
            return new Requirement(key, "exists", Set.of());
        }
        if (s.startsWith("==", p) || s.startsWith("!=", p) || s.charAt(p) == '=') {
            String op = s.startsWith("!=", p) ? "!=" : "=";
            p = skipSpaces(s, p + (s.startsWith("==", p) || op.equals("!=") ? 2 : 1));
            int v = p;
            while (p < s.length() && valueChar(s.charAt(p))) {
                p++;
            }
            String value = s.substring(v, p);
            checkValue(value);
            end[0] = p;
            return new Requirement(key, op, Set.of(value));
        }
        String op = s.startsWith("notin", p) ? "notin" : s.startsWith("in", p) ? "in" : null;
        if (op == null) {
            throw new IllegalArgumentException("expected =, ==, !=, in or notin after \"" + key + "\"");
        }
        p = skipSpaces(s, p + op.length());
        if (p >= s.length() || s.charAt(p) != '(') {
            throw new IllegalArgumentException("expected ( after " + op);
        }
        int close = s.indexOf(')', p);
        if (close < 0) {
            throw new IllegalArgumentException("a value list without its )");
        }
        List<String> values = new ArrayList<>();
        for (String v : s.substring(p + 1, close).split(",", -1)) {
            String value = v.strip();
            checkValue(value);
            values.add(value);
        }
        if (values.size() == 1 && values.get(0).isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one value");
        }
        end[0] = close + 1;
        return new Requirement(key, op, Set.copyOf(values));
    }

    private static void checkKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !KubeNames.isDns1123Subdomain(key.substring(0, slash))) {
            throw new IllegalArgumentException("label key \"" + key + "\" has an invalid prefix");
        }
        if (!qualifiedName(name)) {
            throw new IllegalArgumentException(key.isEmpty() ? "expected a label key"
                    : "label key \"" + key + "\" is not a valid Kubernetes label key");
        }
    }

    private static void checkValue(String value) {
        if (!value.isEmpty() && !qualifiedName(value)) {
            throw new IllegalArgumentException("\"" + value + "\" is not a valid label value");
        }
    }

    /** 63 characters at most, alphanumerics at both ends, '-', '_' and '.' between. */
    private static boolean qualifiedName(String s) {
        if (s.isEmpty() || s.length() > 63 || !alnum(s.charAt(0)) || !alnum(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean alnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean keyChar(char c) {
        return alnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
    }

    private static boolean valueChar(char c) {
        return alnum(c) || c == '-' || c == '_' || c == '.';
    }

    private static int skipSpaces(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    @Override
    public boolean test(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.test(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
