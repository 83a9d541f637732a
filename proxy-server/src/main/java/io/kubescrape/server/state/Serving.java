package io.kubescrape.server.state;

import io.kubescrape.discovery.WatchedObjects;
import io.kubescrape.sd.ServiceDiscovery;

/** Whether the server is serving, and whether it is draining (shutting down: close each connection after its answer). */
public final class Serving {
    private volatile boolean serving;
    private volatile boolean draining;

    public boolean serving() {
        return serving;
    }

    public void serving(boolean on) {
        serving = on;
    }

    public boolean draining() {
        return draining;
    }

    public void drain() {
        draining = true;
    }

    /**
     * Ready: serving, every cluster's first list finished (or failed and is backing off), and the targets of what
     * was listed built, so the first /sd is as quick as any.
     */
    public boolean ready(LiveConfig config, ServiceDiscovery sd) {
        return serving && config.clusters().all().stream().allMatch(c -> c.watchedStores().stream()
                .allMatch(WatchedObjects::firstListDone)) && sd.upToDate();
    }
}
