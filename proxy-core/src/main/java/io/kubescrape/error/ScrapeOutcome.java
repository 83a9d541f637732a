package io.kubescrape.error;

/**
 * The one table of outcomes: every error status kubescrape answers with, for scrapes and for every other request
 * (admin routes, reload, requests the codec could not read), with its metric tag, failing hop and default
 * message. Handlers fail with a {@link ScrapeException} carrying one of these; nothing else decides a status.
 */
public enum ScrapeOutcome {
    SUCCESS(200, "success", null, "scrape relayed"),
    /** The pod answered with a non-2xx status; its response passes through unchanged. */
    POD_ERROR(200, "pod_error", Hop.POD, "the pod answered with an error status"),

    INVALID_TARGET(400, "invalid_target", Hop.KUBESCRAPE, "invalid scrape path"),
    /** The request could not be read as HTTP/1.x at all. */
    MALFORMED_REQUEST(400, "malformed_request", Hop.KUBESCRAPE, "malformed HTTP request"),
    /** A query string an admin route (such as /sd) does not take. */
    INVALID_QUERY(400, "invalid_query", Hop.KUBESCRAPE, "invalid query parameters"),
    UNAUTHENTICATED(401, "unauthenticated", Hop.KUBESCRAPE, "credentials required"),
    FORBIDDEN(403, "forbidden", Hop.KUBESCRAPE, "this caller may not scrape there"),
    UNKNOWN_ROUTE(404, "unknown_route", Hop.KUBESCRAPE, "no such route"),
    UNKNOWN_CLUSTER(404, "unknown_cluster", Hop.KUBESCRAPE, "unknown cluster"),
    UNKNOWN_POD(404, "unknown_pod", Hop.API_SERVER, "pod not found"),
    /** The API server has no node of that name (a node target's kubelet or cAdvisor). */
    UNKNOWN_NODE(404, "unknown_node", Hop.API_SERVER, "node not found"),
    UNRESOLVED_PORT(404, "unresolved_port", Hop.KUBESCRAPE, "no metrics port could be resolved for the pod"),
    /** A Service endpoint's Service is not (or not yet) in kubescrape's discovery of the cluster. */
    UNKNOWN_SERVICE(404, "unknown_service", Hop.KUBESCRAPE, "no such Service is known"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", Hop.KUBESCRAPE, "only GET and HEAD are allowed"),
    /** A loopback listener asked under a name that is not its own: how DNS rebinding looks (see HostCheck). */
    MISDIRECTED(421, "misdirected", Hop.KUBESCRAPE, "this kubescrape does not answer to that host name"),
    VERSION_NOT_SUPPORTED(505, "version_not_supported", Hop.KUBESCRAPE, "HTTP version not supported"),
    URI_TOO_LONG(414, "uri_too_long", Hop.KUBESCRAPE,
            "the request line is longer than this server accepts (limits.max_uri_length)"),
    HEADERS_TOO_LARGE(431, "headers_too_large", Hop.KUBESCRAPE,
            "the request headers are larger than this server accepts (limits.max_header_bytes)"),
    /** A fault in kubescrape itself, logged with its cause: nothing a caller or a cluster did. */
    INTERNAL_ERROR(500, "internal_error", Hop.KUBESCRAPE, "kubescrape failed to answer; its log says why"),
    /** POST /-/reload kept the running configuration: the new one did not load. */
    RELOAD_FAILED(500, "reload_failed", Hop.KUBESCRAPE, "reload failed, the running configuration is kept"),

    UPSTREAM_CONNECT(502, "upstream_connect", Hop.API_SERVER, "cannot connect to the API server"),
    UPSTREAM_TLS(502, "upstream_tls", Hop.API_SERVER, "TLS handshake with the API server failed"),
    UPSTREAM_UNAUTHORIZED(502, "upstream_unauthorized", Hop.API_SERVER,
            "the API server rejected kubescrape's credentials (401 Unauthorized)"),
    UPSTREAM_FORBIDDEN(502, "upstream_forbidden", Hop.API_SERVER,
            "the API server forbids this request (403 Forbidden)"),
    UPSTREAM_PROTOCOL(502, "upstream_error", Hop.API_SERVER, "the API server failed the request"),

    POOL_EXHAUSTED(503, "pool_exhausted", Hop.KUBESCRAPE, "no upstream connection available in time"),
    /** Too many basic-auth password checks at once (each is a bcrypt): shed, the caller may retry. */
    AUTH_OVERLOADED(503, "auth_overloaded", Hop.KUBESCRAPE, "too many password checks at once"),
    /** The caller already has its share of this cluster's scrapes under way (upstream.caller_share). */
    CALLER_OVER_SHARE(503, "caller_over_share", Hop.KUBESCRAPE, "this caller already has its share of the "
            + "cluster's scrapes under way"),
    /** The same target is being scraped as often at once as upstream.max_concurrent_per_target allows. */
    TARGET_BUSY(503, "target_busy", Hop.KUBESCRAPE, "this target is already being scraped as often at once as "
            + "allowed"),
    /** Over the cluster's concurrent-scrape limit and its queue: the caller should retry later. */
    ADMISSION_REJECTED(503, "admission_rejected", Hop.KUBESCRAPE, "too many scrapes of this cluster at once"),
    POD_UNREACHABLE(503, "pod_unreachable", Hop.POD, "the API server could not reach the pod"),
    /** GET /-/ready before every cluster's first pod list (and its targets) are done. */
    NOT_READY(503, "not_ready", Hop.KUBESCRAPE, "starting: not every cluster has finished its first pod list, "
            + "or its targets are being built"),

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
