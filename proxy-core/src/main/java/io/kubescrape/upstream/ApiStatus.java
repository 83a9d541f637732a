package io.kubescrape.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;

/**
 * The API server's own error responses: JSON {@code Status} objects. Maps one to the outcome table so the
 * scraper learns which hop failed; anything that is not a Status is a pod's own response and passes through.
 */
public record ApiStatus(int code, String reason, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Statuses worth buffering a body for: an API-server error is small JSON with one of these codes. */
    public static boolean mightBeStatus(HttpResponse response) {
        int code = response.status().code();
        if (code != 400 && code != 401 && code != 403 && code != 404 && code != 500 && code != 503) {
            return false;
        }
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("application/json");
    }

    /** Parses a Status body, or returns null when the body is not one. */
    public static ApiStatus parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !"Status".equals(n.path("kind").asText()) || !n.has("code")) {
                return null;
            }
            return new ApiStatus(n.path("code").asInt(), n.path("reason").asText(""), n.path("message").asText(""));
        } catch (IOException e) {
            return null;
        }
    }

    /** The failure an error answer means: its Status mapped, or a plain upstream error when it is not one. */
    public static ScrapeException failure(ClusterSpec spec, int code, byte[] body,
                                          String permission, String request) {
        ApiStatus status = parse(body);
        return status != null ? status.toFailure(spec.name(), permission)
                : new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, request + " answered " + code + " (cluster "
                + spec.name() + ")");
    }

    /**
     * The scrape failure this Status means, for a request against {@code cluster} that needs {@code permission}
     * (e.g. "get on pods/proxy").
     */
    public ScrapeException toFailure(String cluster, String permission) {
        return toFailure(cluster, permission, "the pod", ScrapeOutcome.UNKNOWN_POD);
    }

    /**
     * As above, for a request whose far end is {@code reached} ("the pod", "node n1's kubelet"), and which fails
     * as {@code notFound} when the API server does not know it.
     */
    public ScrapeException toFailure(String cluster, String permission, String reached, ScrapeOutcome notFound) {
        String where = " (cluster " + cluster + ")";
        return switch (code) {
            case 401 -> new ScrapeException(ScrapeOutcome.UPSTREAM_UNAUTHORIZED,
                    "the API server rejected kubescrape's credentials" + where + ": 401 " + message);
            case 403 -> new ScrapeException(ScrapeOutcome.UPSTREAM_FORBIDDEN, "the API server forbids it (403 Forbidden)" + where
                    + ": kubescrape's identity needs " + permission + ": " + message);
            case 404 -> new ScrapeException(notFound, message + where);
            case 503, 400 -> new ScrapeException(ScrapeOutcome.POD_UNREACHABLE,
                    "the API server could not reach " + reached + where + ": " + message);
            default -> new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server answered " + code
                    + " " + reason + where + ": " + message);
        };
    }
}
