package io.kubescrape.metrics;

/**
 * How a scrape's answer was come by, as the {@code shared} tag of the scrape timer says: its own upstream request
 * ({@code no}, also when others joined it), a request already in flight for an identical scrape
 * ({@code in_flight}), or a recent identical answer within the cluster's share window ({@code window}).
 */
public enum Shared {
    NO("no"),
    IN_FLIGHT("in_flight"),
    WINDOW("window");

    private final String tag;

    Shared(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** Whether the scrape spared the API server a request. */
    public boolean saved() {
        return this != NO;
    }
}
