package io.kubescrape.config;

import java.time.Duration;

/**
 * What a caller may send and hold: URI and header sizes (414, 431), how long a request's headers may take to
 * arrive once it started (slow-loris), how long an idle connection lives, how many requests one connection may
 * carry, and how many connections may be open at once. Null fields take the built-in defaults.
 */
public record DownstreamLimits(Integer maxUriLength, Integer maxHeaderBytes, Duration headerTimeout,
                               Duration idleTimeout, Integer maxRequestsPerConnection, Integer maxConnections) {

    public static final DownstreamLimits BUILTIN = new DownstreamLimits(4096, 16 * 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(120), 10_000, 10_000);

    public DownstreamLimits {
        range("max_uri_length", maxUriLength, 256, 65_536);
        range("max_header_bytes", maxHeaderBytes, 1024, 1024 * 1024);
        range("max_requests_per_connection", maxRequestsPerConnection, 1, Integer.MAX_VALUE);
        range("max_connections", maxConnections, 1, 1_000_000);
        if (headerTimeout != null && headerTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("header_timeout must be at least 100ms");
        }
        if (idleTimeout != null && idleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("idle_timeout must be at least 1s");
        }
    }

    private static void range(String key, Integer v, int min, int max) {
        if (v != null && (v < min || v > max)) {
            throw new IllegalArgumentException(key + " must be " + min + "-" + max);
        }
    }

    public DownstreamLimits orBuiltin() {
        DownstreamLimits b = BUILTIN;
        return new DownstreamLimits(maxUriLength != null ? maxUriLength : b.maxUriLength,
                maxHeaderBytes != null ? maxHeaderBytes : b.maxHeaderBytes,
                headerTimeout != null ? headerTimeout : b.headerTimeout,
                idleTimeout != null ? idleTimeout : b.idleTimeout,
                maxRequestsPerConnection != null ? maxRequestsPerConnection : b.maxRequestsPerConnection,
                maxConnections != null ? maxConnections : b.maxConnections);
    }
}
