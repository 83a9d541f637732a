package io.kubescrape.server.state;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How this server reloads its configuration, fixed at start: how to ask for a reload (null: it cannot; the
 * future completes with null on success, else why the running configuration was kept), and whether
 * {@code POST /-/reload} may ask (--enable-lifecycle; SIGHUP always may).
 */
public record Reloads(Supplier<CompletableFuture<String>> request, boolean endpoint) {
    /** A server that cannot reload (tests, and a server started without a config source). */
    public static final Reloads NONE = new Reloads(null, false);

    /** Whether POST /-/reload is allowed. */
    public boolean endpointEnabled() {
        return endpoint && request != null;
    }

    /** Asks for a reload; it runs off the caller's thread, and a burst of requests shares one. */
    public CompletableFuture<String> run() {
        if (request == null) {
            return CompletableFuture.completedFuture("this kubescrape cannot reload");
        }
        return request.get();
    }
}
