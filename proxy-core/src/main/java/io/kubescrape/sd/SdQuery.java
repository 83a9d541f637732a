package io.kubescrape.sd;

import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The filters of {@code GET /sd}: cluster, namespace, shard {@code i} of {@code n}, and what the calling caller
 * may see ({@code caller} names it for the rendering cache; {@code visible} decides).
 */
public record SdQuery(String cluster, String namespace, int shard, int shards, String caller,
                      BiPredicate<String, String> visible) {
    public static final SdQuery ALL = new SdQuery(null, null, 0, 1);

    public SdQuery(String cluster, String namespace, int shard, int shards) {
        this(cluster, namespace, shard, shards, "*", (c, n) -> true);
    }

    /** This query, limited to what a caller may scrape. */
    public SdQuery forCaller(String name, BiPredicate<String, String> allows) {
        return new SdQuery(cluster, namespace, shard, shards, name, allows);
    }

    public SdQuery {
        if (shards < 1 || shards > 10_000 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard must be 0 <= shard < shards <= 10000");
        }
    }

    /** From query parameters; throws IllegalArgumentException with the reason for a 400. */
    public static SdQuery parse(Map<String, List<String>> params) {
        for (String key : params.keySet()) {
            if (!List.of("cluster", "namespace", "shard", "shards").contains(key)) {
                throw new IllegalArgumentException("unknown parameter \"" + key
                        + "\"; /sd takes cluster, namespace, shard and shards");
            }
        }
        String shard = first(params, "shard");
        String shards = first(params, "shards");
        if ((shard == null) != (shards == null)) {
            throw new IllegalArgumentException("shard and shards go together");
        }
        try {
            return new SdQuery(first(params, "cluster"), first(params, "namespace"),
                    shard == null ? 0 : Integer.parseInt(shard), shards == null ? 1 : Integer.parseInt(shards));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard and shards must be whole numbers");
        }
    }

    public boolean matches(ScrapeTarget t) {
        return (cluster == null || cluster.equals(t.cluster())) && (namespace == null || namespace.equals(t.namespace()))
                && Long.remainderUnsigned(t.shardHash(), shards) == shard && visible.test(t.cluster(), t.namespace());
    }

    @Override
    public String toString() {
        return "cluster=" + cluster + ",namespace=" + namespace + ",shard=" + shard + "/" + shards + ",caller=" + caller;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
