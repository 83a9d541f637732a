package io.kubescrape.server;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.target.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one log line a failed scrape leaves. Nothing on success; never a header value or credential. */
final class ScrapeLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.kubescrape.scrape");

    private ScrapeLog() {
    }

    static void failed(Target target, ScrapeOutcome outcome, long nanos, String detail) {
        if (LOG.isWarnEnabled()) {
            LOG.warn("scrape failed cluster={} namespace={} pod={} outcome={} duration_ms={} detail=\"{}\"",
                    target.cluster(), target.namespace(), target.pod(), outcome.tag(), nanos / 1_000_000,
                    detail == null ? "" : detail.replace('"', '\''));
        }
    }
}
