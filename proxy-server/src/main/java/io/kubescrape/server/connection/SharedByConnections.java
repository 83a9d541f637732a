package io.kubescrape.server.connection;

import io.kubescrape.server.admin.AdminRoutes;
import io.kubescrape.server.http.HostCheck;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.share.Flights;
import io.kubescrape.server.state.LiveConfig;
import io.kubescrape.server.state.Reloads;
import io.kubescrape.server.state.Serving;

/**
 * What every downstream connection uses, built once at start and never changed: the live configuration (clusters
 * and callers, swapped whole by a reload), the per-pod table of last scrapes, whether the server is draining, how
 * to reload, the admin routes, which Host names to answer, and where identical scrapes meet.
 */
public record SharedByConnections(LiveConfig config, LastScrapes lastScrapes, Serving serving, Reloads reloads,
                                  AdminRoutes admin, HostCheck hosts, Flights flights) {
}
