package io.kubescrape.server.auth;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.Target;
import io.kubescrape.server.auth.Callers.Caller;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * AUTHORIZE, the second stage: who is calling, and whether they may have what they asked for. Each method returns
 * the grant or throws the outcome table's 401, 403 or 404; the connection handler decides nothing of this itself.
 */
public final class Authorize {
    private Authorize() {
    }

    /**
     * Who is calling {@code path}: anyone for the health probes; else the caller when it is known at once, or null
     * when a basic-auth password must be checked first ({@link #verify}); a 401 when it is no caller at all.
     */
    public static Caller caller(Callers callers, HttpRequest request, ChannelHandlerContext ctx, String path) {
        return path.equals("/-/healthy") || path.equals("/-/ready") ? Caller.ANYONE : callers.identify(request, ctx);
    }

    /** The password check {@link #caller} deferred: completes, off the event loop, with the caller or a 401/503. */
    public static CompletableFuture<Caller> verify(Callers callers, HttpRequest request) {
        return callers.verify(request);
    }

    /**
     * The cluster named {@code name}, when the caller may see it (scrape some namespace of it). A cluster it may not
     * see answers exactly as one that does not exist, so a caller learns nothing of clusters outside its grant.
     */
    public static Cluster visibleCluster(Caller caller, String name, ClusterRegistry clusters) {
        Cluster cluster = caller.allows(name, null) ? clusters.get(name) : null;
        if (cluster == null) {
            throw new ScrapeException(ScrapeOutcome.UNKNOWN_CLUSTER, "no cluster named \"" + name + "\" is configured");
        }
        return cluster;
    }

    /**
     * Whether {@code caller} may scrape {@code target}: the cluster is one it may see, its rules allow the namespace
     * (every namespace, for a node or the API server), and the cluster does not close the namespace to scraping.
     * Returns the cluster to scrape.
     */
    public static Cluster scrape(Caller caller, Target target, ClusterRegistry clusters) {
        Cluster cluster = visibleCluster(caller, target.cluster(), clusters);
        if (!caller.mayScrape(target)) {
            throw new ScrapeException(ScrapeOutcome.FORBIDDEN, "caller " + caller.name() + " may not scrape "
                    + (target.namespace() == null ? target.describe() + " of cluster " + target.cluster()
                    + ": that takes a rule allowing every namespace (namespaces: [\"*\"])"
                    : "namespace " + target.namespace() + " of cluster " + target.cluster()));
        }
        if (target.namespace() != null && !cluster.spec().scrape().scrapes(target.namespace())) {
            throw new ScrapeException(ScrapeOutcome.FORBIDDEN, "namespace " + target.namespace() + " of cluster "
                    + target.cluster() + " is closed to scraping (scrape.namespaces, scrape.exclude_namespaces)");
        }
        return cluster;
    }

    /** Whether {@code caller} holds {@code grant} ("metrics", "lifecycle"), or a 403 saying which it lacks. */
    public static void grant(Caller caller, String grant) {
        if (!caller.granted(grant)) {
            throw new ScrapeException(ScrapeOutcome.FORBIDDEN, "caller " + caller.name() + " has no \"" + grant
                    + "\" grant (callers[].grants)");
        }
    }
}
