package io.kubescrape.server.aggregate;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.config.AggregateSettings;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.AggregateTarget;
import io.kubescrape.route.PodTarget;
import io.kubescrape.route.TargetParser;
import io.kubescrape.sd.ScrapeTarget;
import io.kubescrape.sd.TargetBuilder;
import io.kubescrape.server.auth.Authorize;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.upstream.ScrapeTimeout;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The aggregate routes ({@code /clusters/<c>/metrics}, {@code /clusters/<c>/ns/<ns>/metrics}, {@code ?selector=}):
 * PARSE, AUTHORIZE and the choice of pods (the same targets as /sd, one per pod, the selector applied to the pods'
 * labels), then an {@link AggregateScrape} fetches and merges them.
 */
public final class Aggregates {
    private Aggregates() {
    }

    /** Whether the request's path (query left out) is an aggregate's. */
    public static boolean matches(String path) {
        return AggregateTarget.matches(path);
    }

    public static void start(ChannelHandlerContext ctx, Downstream owner, HttpRequest http, boolean keepAlive,
                             Callers.Caller caller, ClusterRegistry clusters, AggregateSettings limits) {
        AggregateTarget target = AggregateTarget.parse(http.uri());
        Cluster cluster = Authorize.visibleCluster(caller, target.cluster(), clusters);
        if (!caller.sees(target.cluster(), target.namespace())) {
            throw new ScrapeException(ScrapeOutcome.FORBIDDEN, "caller " + caller.name() + " may not scrape "
                    + (target.namespace() == null ? "the whole of cluster " + target.cluster()
                    + ": that takes a rule allowing every namespace" : "namespace " + target.namespace()
                    + " of cluster " + target.cluster()));
        }
        if (target.namespace() != null && !cluster.spec().scrape().scrapes(target.namespace())) {
            throw new ScrapeException(ScrapeOutcome.FORBIDDEN, "namespace " + target.namespace() + " of cluster "
                    + target.cluster() + " is closed to scraping (scrape.namespaces, scrape.exclude_namespaces)");
        }
        List<PodTarget> pods = pods(cluster, target);
        if (target.namespace() == null && pods.size() > limits.maxPods()) {
            throw new ScrapeException(ScrapeOutcome.INVALID_QUERY, "the aggregate would take " + pods.size()
                    + " pods of cluster " + target.cluster() + ", more than its cap of " + limits.maxPods()
                    + " (aggregate.max_pods); aggregate a namespace, or narrow it with ?selector=");
        }
        String encodings = http.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        AggregateRequest request = new AggregateRequest(target, caller.spec() == null ? null : caller.name(),
                AggregateRequest.prefersOpenMetrics(http.headers().get(HttpHeaderNames.ACCEPT)),
                encodings != null && encodings.contains("gzip"), http.method().equals(HttpMethod.HEAD), keepAlive,
                ScrapeTimeout.nanos(http.headers(), cluster.spec().upstream()), limits);
        new AggregateScrape(ctx, owner, request, cluster, pods).run();
    }

    /** The cluster's target pods in scope, one target each (its first port), in /sd's order. */
    private static List<PodTarget> pods(Cluster cluster, AggregateTarget target) {
        ClusterPods known = cluster.discovered();
        if (known == null) {
            throw new ScrapeException(ScrapeOutcome.INVALID_TARGET, "cluster " + cluster.name() + " does not discover "
                    + "its pods (discovery off, or discovery.roles without pod): an aggregate has nothing to take");
        }
        List<PodInfo> inScope = new ArrayList<>();
        for (PodInfo p : known.all()) {
            if ((target.namespace() == null || target.namespace().equals(p.namespace()))
                    && target.selector().test(p.labels())) {
                inScope.add(p);
            }
        }
        List<ScrapeTarget> targets = new ArrayList<>(TargetBuilder.build(cluster.spec(), inScope));
        targets.sort((a, b) -> a.path().compareTo(b.path()));
        Set<String> seen = new HashSet<>();
        List<PodTarget> out = new ArrayList<>();
        for (ScrapeTarget t : targets) {
            if (seen.add(t.namespace() + "/" + t.name())) {
                out.add((PodTarget) TargetParser.parse(t.path()));
            }
        }
        return out;
    }
}
