package io.kubescrape.error;

/** Which hop of a scrape failed, named in every error body so an operator knows where to look. */
public enum Hop {
    KUBESCRAPE("kubescrape"),
    API_SERVER("API server"),
    POD("pod");

    private final String label;

    Hop(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
