package io.kubescrape.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** What a request the codec could not read gets: 414 for a long request line, 431 for big headers, else 400. */
public final class RequestErrors {
    private RequestErrors() {
    }

    public static HttpResponseStatus status(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    public static String message(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return "kubescrape: the request line is longer than this server accepts (limits.max_uri_length)\n";
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return "kubescrape: the request headers are larger than this server accepts (limits.max_header_bytes)\n";
        }
        return "kubescrape: malformed HTTP request\n";
    }
}
