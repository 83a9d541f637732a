package io.kubescrape.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A caller allowed to use kubescrape, and how it proves who it is: a bearer token read from a file, a username
 * with a bcrypt password hash (as in Prometheus' web-config), or the CN of a client certificate (with inbound
 * mTLS). {@code allow} lists what it may scrape; a caller with no rule may scrape nothing. {@code grants} lists
 * what else it may do: {@code metrics} (read kubescrape's own /metrics, which spans every cluster) and
 * {@code lifecycle} (POST /-/reload).
 */
public record CallerSpec(String name, Path bearerTokenFile, String username, String passwordHash, String clientCn,
                         List<AllowRule> allow, List<String> grants) {
    /** What a caller may be granted beyond scraping. */
    public static final List<String> GRANTS = List.of("metrics", "lifecycle");

    public CallerSpec(String name, Path bearerTokenFile, String username, String passwordHash, String clientCn,
                      List<AllowRule> allow) {
        this(name, bearerTokenFile, username, passwordHash, clientCn, allow, List.of());
    }

    /** Clusters and namespaces, as globs where {@code *} matches any run of characters. */
    public record AllowRule(String cluster, List<String> namespaces) {
        public AllowRule {
            if (cluster == null || cluster.isBlank()) {
                throw new IllegalArgumentException("an allow rule needs a cluster (\"*\" for all)");
            }
            namespaces = namespaces == null || namespaces.isEmpty() ? List.of("*") : List.copyOf(namespaces);
        }

        public boolean allows(String clusterName, String namespace) {
            return glob(cluster, clusterName) && (namespace == null || namespaces.stream().anyMatch(n -> glob(n,
                    namespace)));
        }

        /** Whether the rule allows every namespace of the cluster: a bare "*", not a pattern that happens to. */
        public boolean allowsWhole(String clusterName) {
            return glob(cluster, clusterName) && namespaces.contains("*");
        }
    }

    public CallerSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a caller needs a name");
        }
        int ways = (bearerTokenFile != null ? 1 : 0) + (username != null ? 1 : 0) + (clientCn != null ? 1 : 0);
        if (ways != 1) {
            throw new IllegalArgumentException("caller " + name + ": give exactly one of bearer_token_file, "
                    + "username (with password_hash) or client_cn");
        }
        if (username != null && (passwordHash == null || !passwordHash.matches("\\$2[abyx]?\\$\\d\\d\\$.{53}"))) {
            throw new IllegalArgumentException("caller " + name + ": password_hash must be a bcrypt hash "
                    + "(e.g. from htpasswd -nBC 10 \"\" | tr -d ':\\n')");
        }
        allow = allow == null ? List.of() : List.copyOf(allow);
        grants = grants == null ? List.of() : List.copyOf(grants);
        for (String g : grants) {
            if (!GRANTS.contains(g)) {
                throw new IllegalArgumentException("caller " + name + ": unknown grant \"" + g + "\"; grants are "
                        + GRANTS);
            }
        }
    }

    /** Whether this caller holds {@code grant} (one of {@link #GRANTS}). */
    public boolean granted(String grant) {
        return grants.contains(grant);
    }

    /** May this caller scrape in this cluster and namespace (namespace null: anywhere in the cluster)? */
    public boolean allows(String cluster, String namespace) {
        return allow.stream().anyMatch(r -> r.allows(cluster, namespace));
    }

    /**
     * May this caller scrape what spans the cluster (its nodes, its API server)? Only with a rule allowing every
     * namespace: a node's cAdvisor and the API server's metrics show all of them.
     */
    public boolean allowsWhole(String cluster) {
        return allow.stream().anyMatch(r -> r.allowsWhole(cluster));
    }

    public static boolean glob(String pattern, String value) {
        // '*' matches any run of characters, anything else itself. Runs per scrape, so no regex: on a mismatch
        // after a star, let that star take one more character and go on from there.
        int p = 0;
        int v = 0;
        int star = -1;
        int resume = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = v;
            } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
                p++;
                v++;
            } else if (star >= 0) {
                p = star + 1;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return "caller " + name;
    }
}
