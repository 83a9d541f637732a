package io.kubescrape.server.admin;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.NodeInfo;
import io.kubescrape.discovery.WatchedObjects;
import io.kubescrape.route.ApiServerTarget;
import io.kubescrape.route.NodeEndpoint;
import io.kubescrape.route.NodeTarget;
import io.kubescrape.route.PodTarget;
import io.kubescrape.route.TargetRole;
import io.kubescrape.route.Target;
import io.kubescrape.sd.ScrapeTarget;
import io.kubescrape.sd.ServiceDiscovery;
import io.kubescrape.sd.TargetBuilder;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.state.LiveConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The browse UI's pages: clusters with their health, a cluster's pods with their last scrape, and a pod's metrics
 * made readable. Plain HTML from the server, every cluster-provided string escaped here.
 */
final class BrowsePages {
    private static final int MAX_ROWS = 5000;

    private final LiveConfig config;
    private final ServiceDiscovery sd;
    private final LastScrapes lastScrapes;

    BrowsePages(LiveConfig config, ServiceDiscovery sd, LastScrapes lastScrapes) {
        this.config = config;
        this.sd = sd;
        this.lastScrapes = lastScrapes;
    }

    String index(Callers.Caller caller) {
        StringBuilder b = page("kubescrape");
        b.append("<h1>kubescrape</h1><table><thead><tr><th>cluster</th><th>API server</th><th>health</th>"
                + "<th>pods</th><th>targets</th><th>last sync</th><th>last error</th></tr></thead><tbody>");
        long now = System.currentTimeMillis();
        for (Cluster c : config.clusters().all()) {
            if (!caller.allows(c.name(), null)) {
                continue;
            }
            ClusterPods pods = c.discovered();
            String health = pods == null ? "off" : pods.health().name().toLowerCase(Locale.ROOT);
            long targets = visibleTargets(c, caller);
            b.append("<tr><td><a href=\"/ui/clusters/").append(esc(c.name())).append("\">").append(esc(c.name()))
                    .append("</a></td><td>").append(esc(c.spec().server().toString())).append("</td><td class=\"")
                    .append(health).append("\">").append(health).append("</td><td>")
                    .append(pods == null ? "–" : Long.toString(visiblePods(c, caller))).append("</td><td>")
                    .append(targets)
                    .append("</td><td>").append(pods == null || pods.lastSyncMillis() == 0 ? "never"
                            : age(now - pods.lastSyncMillis()) + " ago").append("</td><td class=\"bad\">")
                    .append(pods == null || pods.lastError() == null ? "" : esc(pods.lastError())).append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"muted\">Prometheus: <a href=\"/sd\">/sd</a> (http_sd) · "
                + "<a href=\"/metrics\">/metrics</a> (kubescrape's own) · <a href=\"/-/ready\">/-/ready</a></p>");
        return end(b);
    }

    /** A cluster's pods, filtered server-side by {@code q} when given (the box filters what is shown). */
    String cluster(Cluster c, String q, Callers.Caller caller) {
        StringBuilder b = page("kubescrape · " + c.name());
        b.append("<p><a href=\"/\">all clusters</a></p><h1>").append(esc(c.name())).append("</h1>");
        degraded(b, c);
        ClusterPods pods = c.discovered();
        long now = System.currentTimeMillis();
        if (pods == null) {
            nodes(b, c, caller, now);
            return end(b.append("<p>Pod discovery is off for this cluster; scrape its pods by URL.</p>"));
        }
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        List<PodInfo> shown = pods.all().stream()
                .filter(p -> caller.allows(c.name(), p.namespace()))
                .filter(p -> needle.isEmpty() || (p.namespace() + "/" + p.name()).contains(needle))
                .sorted(Comparator.comparing(PodInfo::namespace).thenComparing(PodInfo::name)).limit(MAX_ROWS).toList();
        long targets = visibleTargets(c, caller);
        b.append("<input type=\"search\" id=\"filter\" placeholder=\"filter pods…\" autofocus> <span class=\"muted\">")
                .append(shown.size()).append(" of ").append(visiblePods(c, caller)).append(" pods")
                .append(shown.size() == MAX_ROWS ? "; add ?q= to narrow" : "").append(" · <span id=\"targets\">")
                .append(targets).append(" targets</span> in <a href=\"/sd?cluster=").append(esc(c.name()))
                .append("\">/sd</a></span>");
        b.append("<table><thead><tr><th>namespace</th><th>pod</th><th>ready</th><th>node</th><th>ports</th>"
                + "<th>labels</th><th>target</th><th>metrics</th><th>last scrape</th></tr></thead><tbody>");
        for (PodInfo p : shown) {
            b.append("<tr><td>").append(esc(p.namespace())).append("</td><td>").append(esc(p.name()))
                    .append("</td><td class=\"").append(p.ready() ? "ok\">yes" : "bad\">no").append("</td><td>")
                    .append(esc(String.valueOf(p.nodeName()))).append("</td><td>");
            for (ContainerPort port : p.ports()) {
                b.append(port.name() == null ? "" : esc(port.name()) + ":").append(port.number()).append(' ');
            }
            b.append("</td><td class=\"muted\">");
            p.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l ->
                    b.append(esc(l.getKey())).append('=').append(esc(l.getValue())).append(' '));
            List<ScrapeTarget> podTargets = TargetBuilder.build(c.spec(), List.of(p));
            b.append("</td>").append(targetCell(c, p, podTargets)).append("<td>");
            List<String> paths = podTargets.isEmpty()
                    ? List.of(new PodTarget(c.name(), p.namespace(), p.name(), null).path())
                    : podTargets.stream().map(ScrapeTarget::path).toList();
            for (String path : paths) {
                b.append("<a href=\"").append(esc(path)).append("\">raw</a> · <a href=\"/ui").append(esc(path))
                        .append("\">view</a> ");
            }
            b.append("</td><td>").append(lastScrape(c.name(), p, now)).append("</td></tr>");
        }
        b.append("</tbody></table>");
        nodes(b, c, caller, now);
        return end(b);
    }

    /** The cluster's pods in namespaces the caller may see: counts never include what it may not. */
    private static long visiblePods(Cluster c, Callers.Caller caller) {
        ClusterPods pods = c.discovered();
        return pods == null ? 0 : pods.all().stream().filter(p -> caller.allows(c.name(), p.namespace())).count();
    }

    /** The cluster's pod targets the caller may see (what /sd answers without role=). */
    private long visibleTargets(Cluster c, Callers.Caller caller) {
        return sd.targets().stream().filter(t -> t.role() == TargetRole.POD && t.cluster().equals(c.name())
                && caller.sees(c.name(), t.namespace())).count();
    }

    /** A line per discovery role that cannot list or watch: the others go on, and this says which and why. */
    private static void degraded(StringBuilder b, Cluster c) {
        for (WatchedObjects<?> store : c.watchedStores()) {
            if (store.health() == WatchedObjects.Health.ERROR || store.health() == WatchedObjects.Health.STALE) {
                b.append("<p class=\"bad degraded\">degraded: ").append(store.kind().role())
                        .append(" discovery is ").append(store.health().name().toLowerCase(Locale.ROOT)).append(": ")
                        .append(esc(String.valueOf(store.lastError()))).append("</p>");
            }
        }
    }

    /** The cluster's nodes (with node discovery on, to a caller allowed every namespace), each endpoint's last scrape. */
    private void nodes(StringBuilder b, Cluster c, Callers.Caller caller, long now) {
        if (c.nodes() == null || !caller.sees(c.name(), null)) {
            return;
        }
        b.append("<h2>nodes</h2><table id=\"nodes\"><thead><tr><th>node</th><th>ready</th><th>InternalIP</th>");
        for (NodeEndpoint e : NodeEndpoint.values()) {
            b.append("<th>").append(e.tag()).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        c.nodes().all().stream().sorted(Comparator.comparing(NodeInfo::name)).limit(MAX_ROWS).forEach(n -> {
            b.append("<tr><td>").append(esc(n.name())).append("</td><td class=\"").append(n.ready() ? "ok\">yes"
                    : "bad\">no").append("</td><td>").append(esc(n.addresses().getOrDefault("InternalIP", "")))
                    .append("</td>");
            for (NodeEndpoint e : NodeEndpoint.values()) {
                NodeTarget t = new NodeTarget(c.name(), n.name(), e);
                b.append("<td><a href=\"/ui").append(esc(t.path())).append("\">view</a> ")
                        .append(last(lastScrapes.get(c.name(), t.lastScrapeKey()), now)).append("</td>");
            }
            b.append("</tr>");
        });
        b.append("</tbody></table>");
        if (c.spec().discovery().watches("apiserver")) {
            ApiServerTarget api = new ApiServerTarget(c.name());
            b.append("<p>API server: <a href=\"/ui").append(esc(api.path())).append("\">view</a> ")
                    .append(last(lastScrapes.get(c.name(), api.lastScrapeKey()), now)).append("</p>");
        }
    }

    /** Whether the pod is published to Prometheus, and if not, why not (the table's "target" column). */
    private static String targetCell(Cluster c, PodInfo p, List<ScrapeTarget> podTargets) {
        if (!podTargets.isEmpty()) {
            return "<td class=\"ok target\">yes" + (podTargets.size() > 1 ? " (" + podTargets.size() + " ports)" : "")
                    + "</td>";
        }
        String why = TargetBuilder.whyNot(c.spec(), p);
        return "<td class=\"muted target\">no: " + esc(why == null ? "not published" : why) + "</td>";
    }

    /** A target's metrics, fetched by the page and shown grouped by family; the target is validated. */
    String metricsView(Target target) {
        String title = target instanceof PodTarget p ? p.namespace() + "/" + p.pod() : target.describe();
        StringBuilder b = page("kubescrape · " + title);
        b.append("<p><a href=\"/\">all clusters</a> · <a href=\"/ui/clusters/").append(esc(target.cluster()))
                .append("\">").append(esc(target.cluster())).append("</a></p><h1>").append(esc(title))
                .append("</h1><p><a href=\"").append(esc(target.path()))
                .append("\">").append(esc(target.path())).append("</a> <span id=\"count\" class=\"muted\"></span></p>")
                .append("<input type=\"search\" id=\"filter\" placeholder=\"search metrics…\" autofocus>")
                .append("<div id=\"metrics-view\" data-url=\"").append(esc(target.path())).append("\">loading…</div>");
        return end(b);
    }

    private String lastScrape(String cluster, PodInfo p, long now) {
        return last(lastScrapes.get(cluster, p.namespace() + "/" + p.name()), now);
    }

    private static String last(LastScrapes.LastScrape s, long now) {
        if (s == null) {
            return "<span class=\"muted\">never</span>";
        }
        return "<span class=\"" + (s.status() < 400 ? "ok" : "bad") + "\">" + s.status() + " " + esc(s.outcome())
                + "</span> " + s.durationMillis() + " ms, " + s.bytes() + " B, " + age(now - s.atMillis()) + " ago";
    }

    private static StringBuilder page(String title) {
        return new StringBuilder(8192).append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(esc(title))
                .append("</title><link rel=\"stylesheet\" href=\"/ui/app.css\"><script src=\"/ui/app.js\" defer>")
                .append("</script></head><body>");
    }

    private static String end(StringBuilder b) {
        return b.append("</body></html>").toString();
    }

    static String age(long millis) {
        long s = Math.max(0, millis / 1000);
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }

    /** HTML-escapes text for element content and quoted attributes. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
