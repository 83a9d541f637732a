package io.kubescrape.server.scrape;

/** Where a scrape is on its way through the stages, and how a timeout message describes it. */
enum ScrapeStage {
    RESOLVING("waiting for the pod lookup"),
    ADMITTING("waiting for the cluster's concurrent-scrape limit"),
    ACQUIRING("waiting for an upstream connection"),
    AWAITING_RESPONSE("waiting for the pod's response headers"),
    RECEIVING("reading the response"),
    DONE("done");

    final String doing;

    ScrapeStage(String doing) {
        this.doing = doing;
    }
}
