package io.kubescrape.server.http;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** What a request the codec could not read gets: 414 for a long request line, 431 for big headers, else 400. */
public final class RequestErrors {
    private RequestErrors() {
    }

    /** A request's URI for a message or the log: at most 120 characters, anything unprintable as {@code ?}. */
    public static String abbreviate(String uri) {
        String s = uri.length() > 120 ? uri.substring(0, 120) + "…" : uri;
        return s.replaceAll("[^\\x21-\\x7e]", "?");
    }

    /** The outcome table's answer to the codec's failure {@code cause}. */
    public static ScrapeException of(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ScrapeException(ScrapeOutcome.URI_TOO_LONG);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ScrapeException(ScrapeOutcome.HEADERS_TOO_LARGE);
        }
        String why = cause == null || cause.getMessage() == null ? null : cause.getMessage();
        return new ScrapeException(ScrapeOutcome.MALFORMED_REQUEST, why == null ? null
                : "malformed HTTP request: " + (why.length() > 200 ? why.substring(0, 200) + "…" : why));
    }
}
