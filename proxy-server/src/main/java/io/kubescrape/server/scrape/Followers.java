package io.kubescrape.server.scrape;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The identical scrapes that follow a relay's upstream request instead of sending their own. The relay tells them
 * what it receives and how it ends; they copy what they need. Called on the relay's event loop only.
 */
public interface Followers {
    /** Whether a scrape follows now: the relay then reads on while its own caller is slow, up to {@link #bound}. */
    boolean any();

    /** How many bytes a caller may fall behind the upstream while others follow, before it is cut off. */
    long bound();

    /**
     * The pod's response head, before the relay rewrites it for its own caller, and the headers kubescrape adds for
     * every caller once the pod's are filtered (the API server's identity on its own metrics; usually none).
     */
    void head(HttpResponse upstreamHead, HttpHeaders added);

    /** A piece of the body; not retained for the followers: they take their own references. */
    void content(HttpContent content);

    /** The whole response went by: SUCCESS or POD_ERROR. */
    void completed(ScrapeOutcome outcome);

    /** The upstream exchange failed; followers fail the same way (truncated after a head, else this answer). */
    void failed(ScrapeException e);

    /** The relay's own caller left while others follow; {@code abandon} runs (on this loop) once none does. */
    void leaderLeft(Runnable abandon);
}
