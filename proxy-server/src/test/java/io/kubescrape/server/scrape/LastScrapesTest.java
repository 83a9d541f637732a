package io.kubescrape.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The browse page's last-scrape table stays bounded: old rows age out, a full table drops its oldest tenth. */
class LastScrapesTest {
    private static LastScrapes.LastScrape at(long millis) {
        return new LastScrapes.LastScrape(200, "success", 3, 2048, millis);
    }

    @Test
    void theLatestScrapeOfAPodIsKept() {
        LastScrapes t = new LastScrapes();
        t.record("prod", "web/web-0", at(1));
        t.record("prod", "web/web-0", at(2));
        assertThat(t.get("prod", "web/web-0").atMillis()).isEqualTo(2);
        assertThat(t.get("prod", "web/web-1")).isNull();
        assertThat(t.get("dev", "web/web-0")).as("clusters are apart").isNull();
    }

    @Test
    void rowsNotScrapedForADayAgeOut() {
        LastScrapes t = new LastScrapes();
        long now = 10 * LastScrapes.MAX_AGE_MILLIS;
        t.record("prod", "web/old", at(now - LastScrapes.MAX_AGE_MILLIS - 1));
        t.record("prod", "web/new", at(now - 1000));
        t.prune(now);
        assertThat(t.get("prod", "web/old")).isNull();
        assertThat(t.get("prod", "web/new")).isNotNull();
    }

    @Test
    void aFullTableLeavesNewPodsOutUntilPruningDropsTheOldestTenth() {
        LastScrapes t = new LastScrapes(100);
        for (int i = 0; i < 100; i++) {
            t.record("prod", "web/pod-" + i, at(1000 + i));
        }
        t.record("prod", "web/late", at(5000));
        assertThat(t.get("prod", "web/late")).as("no room").isNull();
        t.record("prod", "web/pod-5", at(6000)); // a known pod is still updated
        t.prune(7000);
        assertThat(t.size()).isEqualTo(90);
        assertThat(t.get("prod", "web/pod-0")).isNull();
        assertThat(t.get("prod", "web/pod-10")).isNull();
        assertThat(t.get("prod", "web/pod-5")).as("scraped recently").isNotNull();
        assertThat(t.get("prod", "web/pod-11")).isNotNull();
        t.record("prod", "web/late", at(8000));
        assertThat(t.get("prod", "web/late")).isNotNull();
    }
}
