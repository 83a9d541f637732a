package io.kubescrape.sd;

import io.kubescrape.route.NodeEndpoint;
import io.kubescrape.route.TargetRole;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The filters of {@code GET /sd}: roles (pods unless asked), node endpoints, cluster, namespace, shard {@code i} of
 * {@code n}, and what the calling caller may see ({@code caller} names it for the rendering cache; {@code visible}
 * decides, given a cluster and a namespace, null for a target that spans the cluster).
 *
 * @param endpoints the node endpoint tags to keep, or null for all
 */
public record SdQuery(Set<TargetRole> roles, Set<String> endpoints, String cluster, String namespace, int shard,
                      int shards, String caller, BiPredicate<String, String> visible) {
    private static final List<String> PARAMETERS = List.of("role", "endpoint", "cluster", "namespace", "shard", "shards");
    /** What /sd answers without {@code role}: pods, as before there were other roles. */
    public static final Set<TargetRole> DEFAULT_ROLES = Set.of(TargetRole.POD);
    public static final SdQuery ALL = new SdQuery(null, null, 0, 1);

    public SdQuery(String cluster, String namespace, int shard, int shards) {
        this(DEFAULT_ROLES, null, cluster, namespace, shard, shards, "*", (c, n) -> true);
    }

    public SdQuery {
        if (shards < 1 || shards > 10_000 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard must be 0 <= shard < shards <= 10000");
        }
        roles = Set.copyOf(roles);
        endpoints = endpoints == null ? null : Set.copyOf(endpoints);
    }

    /** This query, limited to what a caller may scrape. */
    public SdQuery forCaller(String name, BiPredicate<String, String> allows) {
        return new SdQuery(roles, endpoints, cluster, namespace, shard, shards, name, allows);
    }

    /** This query for other roles (file_sd writes one file per role). */
    public SdQuery withRoles(Set<TargetRole> only) {
        return new SdQuery(only, endpoints, cluster, namespace, shard, shards, caller, visible);
    }

    /** From query parameters; throws IllegalArgumentException with the reason for a 400. */
    public static SdQuery parse(Map<String, List<String>> params) {
        for (String key : params.keySet()) {
            if (!PARAMETERS.contains(key)) {
                throw new IllegalArgumentException("unknown parameter \"" + key + "\"; /sd takes " + PARAMETERS);
            }
        }
        String shard = first(params, "shard");
        String shards = first(params, "shards");
        if ((shard == null) != (shards == null)) {
            throw new IllegalArgumentException("shard and shards go together");
        }
        Set<TargetRole> roles = EnumSet.noneOf(TargetRole.class);
        for (String tag : values(params, "role")) {
            TargetRole r = TargetRole.ofTag(tag);
            if (r == null) {
                throw new IllegalArgumentException("role \"" + tag + "\" is not one of pod, node, apiserver, "
                        + "endpoints, aggregate");
            }
            roles.add(r);
        }
        Set<String> endpoints = null;
        if (params.containsKey("endpoint")) {
            endpoints = new LinkedHashSet<>();
            for (String tag : values(params, "endpoint")) {
                if (NodeEndpoint.ofTag(tag) == null) {
                    throw new IllegalArgumentException("endpoint \"" + tag + "\" is not one of kubelet, cadvisor, "
                            + "resource, probes");
                }
                endpoints.add(tag);
            }
        }
        try {
            return new SdQuery(roles.isEmpty() ? DEFAULT_ROLES : roles, endpoints, first(params, "cluster"),
                    first(params, "namespace"), shard == null ? 0 : Integer.parseInt(shard),
                    shards == null ? 1 : Integer.parseInt(shards), "*", (c, n) -> true);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard and shards must be whole numbers");
        }
    }

    public boolean matches(ScrapeTarget t) {
        return roles.contains(t.role()) && (endpoints == null || t.endpoint() == null || endpoints.contains(t.endpoint()))
                && (cluster == null || cluster.equals(t.cluster()))
                && (namespace == null || namespace.equals(t.namespace()))
                && Long.remainderUnsigned(t.shardHash(), shards) == shard && visible.test(t.cluster(), t.namespace());
    }

    @Override
    public String toString() {
        return "roles=" + roles + ",endpoints=" + endpoints + ",cluster=" + cluster + ",namespace=" + namespace
                + ",shard=" + shard + "/" + shards + ",caller=" + caller;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a repeatable, comma-separated parameter. */
    private static List<String> values(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null ? List.of() : v.stream().flatMap(s -> List.of(s.split(",", -1)).stream()).toList();
    }
}
