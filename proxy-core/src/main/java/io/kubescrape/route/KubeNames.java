package io.kubescrape.route;

/**
 * Kubernetes' own name rules, checked before any name reaches an upstream URL. Every valid name consists of
 * unreserved URL characters only, so nothing that passes here needs escaping or can change the URL's shape.
 */
public final class KubeNames {
    private KubeNames() {
    }

    /** RFC 1123 label, as namespaces must be: at most 63 of [a-z0-9-], alphanumeric at both ends. */
    public static boolean isDns1123Label(String s) {
        if (s == null || s.isEmpty() || s.length() > 63) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (c != '-' || i == 0 || i == s.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 1123 subdomain, as pod names must be: at most 253 characters, labels joined by dots. */
    public static boolean isDns1123Subdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            String label = dot < 0 ? s.substring(start) : s.substring(start, dot);
            if (!isDns1123Label(label)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** IANA service name, as container port names must be: at most 15 of [a-z0-9-], one letter, no "--". */
    public static boolean isPortName(String s) {
        if (s == null || s.isEmpty() || s.length() > 15 || s.startsWith("-") || s.endsWith("-")
                || s.contains("--")) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                letter = true;
            } else if (!(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return letter;
    }

    /** kubescrape's cluster names: 1-63 of [A-Za-z0-9._@-], starting with a letter or digit. */
    public static boolean isClusterName(String s) {
        if (s == null || s.isEmpty() || s.length() > 63) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '@' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Turns a kubeconfig context name (EKS uses {@code arn:aws:eks:...:cluster/prod}) into a cluster name that
     * fits in one URL path segment.
     */
    public static String toClusterName(String contextName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < contextName.length() && sb.length() < 63; i++) {
            char c = contextName.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            boolean keep = alnum || (sb.length() > 0 && (c == '.' || c == '_' || c == '@' || c == '-'));
            if (keep) {
                sb.append(c);
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
                sb.append('-');
            }
        }
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** A port number is 1-65535. */
    public static boolean isPortNumber(int port) {
        return port >= 1 && port <= 65535;
    }
}
