package io.kubescrape.config;

/**
 * A cluster's {@code scrape.share_buffer} and {@code scrape.share_window}, read once: every scrape consults them.
 *
 * @param bufferBytes how much of a response in flight is kept for identical scrapes joining late; 0: no sharing
 * @param windowNanos how long a complete answer serves identical scrapes; 0: not at all
 */
public record Sharing(long bufferBytes, long windowNanos) {
    public static Sharing of(ScrapeSettings s) {
        return new Sharing(s.shareBufferBytes(), s.shareWindow() == null ? 0 : s.shareWindow().toNanos());
    }
}
