package io.kubescrape.error;

/**
 * The one table of scrape outcomes: HTTP status sent downstream, metric tag, failing hop and default message.
 * Handlers fail with a {@link ScrapeException} carrying one of these; nothing else decides a status.
 */
public enum ScrapeOutcome {
    SUCCESS(200, "success", null, "scrape relayed"),
    /** The pod answered with a non-2xx status; its response passes through unchanged. */
    POD_ERROR(200, "pod_error", Hop.POD, "the pod answered with an error status"),

    INVALID_TARGET(400, "invalid_target", Hop.KUBESCRAPE, "invalid scrape path"),
    UNAUTHENTICATED(401, "unauthenticated", Hop.KUBESCRAPE, "credentials required"),
    FORBIDDEN(403, "forbidden", Hop.KUBESCRAPE, "this caller may not scrape there"),
    UNKNOWN_ROUTE(404, "unknown_route", Hop.KUBESCRAPE, "no such route"),
    UNKNOWN_CLUSTER(404, "unknown_cluster", Hop.KUBESCRAPE, "unknown cluster"),
    UNKNOWN_POD(404, "unknown_pod", Hop.API_SERVER, "pod not found"),
    UNRESOLVED_PORT(404, "unresolved_port", Hop.KUBESCRAPE, "no metrics port could be resolved for the pod"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", Hop.KUBESCRAPE, "only GET and HEAD are allowed"),

    UPSTREAM_CONNECT(502, "upstream_connect", Hop.API_SERVER, "cannot connect to the API server"),
    UPSTREAM_TLS(502, "upstream_tls", Hop.API_SERVER, "TLS handshake with the API server failed"),
    UPSTREAM_UNAUTHORIZED(502, "upstream_unauthorized", Hop.API_SERVER,
            "the API server rejected kubescrape's credentials (401 Unauthorized)"),
    UPSTREAM_FORBIDDEN(502, "upstream_forbidden", Hop.API_SERVER,
            "the API server forbids this request (403 Forbidden)"),
    UPSTREAM_PROTOCOL(502, "upstream_error", Hop.API_SERVER, "the API server failed the request"),

    POOL_EXHAUSTED(503, "pool_exhausted", Hop.KUBESCRAPE, "no upstream connection available in time"),
    /** Over the cluster's concurrent-scrape limit and its queue: the caller should retry later. */
    ADMISSION_REJECTED(503, "admission_rejected", Hop.KUBESCRAPE, "too many scrapes of this cluster at once"),
    POD_UNREACHABLE(503, "pod_unreachable", Hop.POD, "the API server could not reach the pod"),

    TIMEOUT(504, "timeout", Hop.POD, "scrape timed out"),

    /** The upstream broke after the response headers went downstream: the downstream connection is closed. */
    TRUNCATED(502, "truncated", Hop.POD, "the response body broke off mid-way"),
    /** The scraper went away before the response completed. */
    DOWNSTREAM_CLOSED(499, "downstream_closed", Hop.KUBESCRAPE, "the scraper closed the connection");

    private final int status;
    private final String tag;
    private final Hop hop;
    private final String message;

    ScrapeOutcome(int status, String tag, Hop hop, String message) {
        this.status = status;
        this.tag = tag;
        this.hop = hop;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** The value of the {@code outcome} tag on kubescrape's own metrics. */
    public String tag() {
        return tag;
    }

    public Hop hop() {
        return hop;
    }

    public String message() {
        return message;
    }

    public boolean failed() {
        return this != SUCCESS && this != POD_ERROR;
    }
}
