package io.kubescrape.server.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How this server reloads its configuration, fixed at start: what reloading does (null: it cannot; it returns
 * null on success, else why the running configuration was kept), whether {@code POST /-/reload} may ask for it
 * (--enable-lifecycle; SIGHUP always may), and where reloads run.
 */
public record Reloads(Supplier<String> how, boolean endpoint, Executor where) {
    /** A server that cannot reload (tests, and a server started without a config source). */
    public static final Reloads NONE = new Reloads(null, false, Runnable::run);

    /** Whether POST /-/reload is allowed. */
    public boolean endpointEnabled() {
        return endpoint && how != null;
    }

    /** Reloads off the caller's thread; completes with null, or why the running configuration was kept. */
    public CompletableFuture<String> run() {
        if (how == null) {
            return CompletableFuture.completedFuture("this kubescrape cannot reload");
        }
        return CompletableFuture.supplyAsync(how, where);
    }
}
