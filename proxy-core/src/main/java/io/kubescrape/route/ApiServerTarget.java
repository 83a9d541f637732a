package io.kubescrape.route;

/** A cluster's API server's own /metrics (behind a load balancer: whichever replica the connection reached). */
public record ApiServerTarget(String cluster) implements Target {

    public ApiServerTarget {
        if (!KubeNames.isClusterName(cluster)) {
            throw new IllegalArgumentException("invalid cluster name");
        }
    }

    @Override
    public TargetRole role() {
        return TargetRole.APISERVER;
    }

    @Override
    public String path() {
        return "/clusters/" + cluster + "/apiserver/metrics";
    }

    @Override
    public String namespace() {
        return null;
    }

    @Override
    public String key() {
        return ":apiserver";
    }

    @Override
    public String describe() {
        return "the API server";
    }

    @Override
    public String logFields() {
        return "apiserver=/metrics";
    }

    @Override
    public String permission() {
        return "get on the non-resource URL /metrics (a ClusterRole)";
    }

    @Override
    public String reached() {
        return "the API server's own metrics handler";
    }
}
