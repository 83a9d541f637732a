package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import javax.net.ssl.SSLException;

/** Names what went wrong on the way to an API server, in words an operator can act on. */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    public static ScrapeException connect(ClusterSpec spec, Throwable cause) {
        Throwable ssl = sslCause(cause);
        String server = spec.server().getScheme() + "://" + spec.authority();
        if (ssl != null) {
            return new ScrapeException(ScrapeOutcome.UPSTREAM_TLS, "TLS handshake with " + server + " (cluster "
                    + spec.name() + ") failed: " + explain(ssl));
        }
        return new ScrapeException(ScrapeOutcome.UPSTREAM_CONNECT, "cannot connect to " + server + " (cluster "
                + spec.name() + "): " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage()));
    }

    /**
     * A connection that broke before a complete response. With TLS 1.3 a server that refuses the client
     * certificate says so only after the client's handshake finished, as an alert on the first read: that is a
     * TLS failure, not a protocol one.
     */
    public static ScrapeException broken(ClusterSpec spec, Throwable cause, String during) {
        Throwable ssl = sslCause(cause);
        if (ssl != null) {
            return new ScrapeException(ScrapeOutcome.UPSTREAM_TLS, "the API server of cluster " + spec.name()
                    + " ended the TLS session " + during + ": " + explain(ssl)
                    + (spec.tls().mutual() ? "" : " (does it require a client certificate?)"));
        }
        return new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the connection to the API server of cluster "
                + spec.name() + " broke " + during + ": "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /** An acquire on a pool whose cluster is being dropped (reload) or the server is stopping. */
    static ScrapeException shuttingDown(ClusterSpec spec) {
        return new ScrapeException(ScrapeOutcome.POOL_EXHAUSTED, "cluster " + spec.name() + " is being shut down");
    }

    /** A connect the open circuit refused: says for how long and after how many failures. */
    static ScrapeException circuitOpen(ClusterSpec spec, CircuitBreaker breaker) {
        return new ScrapeException(ScrapeOutcome.UPSTREAM_CONNECT, "not connecting to the API server of cluster "
                + spec.name() + " for " + breaker.retryInMillis() + " ms after " + breaker.consecutiveFailures()
                + " connection failures in a row (circuit open)");
    }

    static Throwable sslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException || c instanceof SslHandshakeTimeoutException) {
                return c;
            }
            if (c instanceof DecoderException && c.getCause() instanceof SSLException) {
                return c.getCause();
            }
        }
        return null;
    }

    private static String explain(Throwable ssl) {
        String m = String.valueOf(ssl.getMessage());
        for (Throwable c = ssl; c != null; c = c.getCause()) {
            String cm = String.valueOf(c.getMessage());
            if (cm.contains("PKIX") || cm.contains("unable to find valid certification path")
                    || cm.contains("CERTIFICATE_VERIFY_FAILED")) {
                return "the server's certificate is not signed by the configured CA (" + m + ")";
            }
            if (cm.contains("No subject alternative") || cm.contains("doesn't match")
                    || cm.contains("No name matching")) {
                return "the server's certificate does not name this host; set tls_server_name if it is known "
                        + "by another name (" + m + ")";
            }
        }
        return m;
    }
}
