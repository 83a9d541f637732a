package io.kubescrape.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * bcrypt away from the event loops. A check costs tens of milliseconds of CPU on purpose; on an event loop, a few
 * callers sending wrong passwords would stall every scrape and health probe of that loop. Checks run on a small
 * pool with a bounded queue; when it is full the caller gets 503 at once (shed, not queued without end). Built once
 * per server and kept across reloads.
 */
public final class PasswordCheck implements AutoCloseable {
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently cut. */
    static final int MAX_PASSWORD_BYTES = 72;

    private final ThreadPoolExecutor pool;

    public PasswordCheck(int threads, int queue) {
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "kubescrape-bcrypt");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Whether {@code password} matches {@code hash}, decided on the pool; a 503 failure when the pool is full. */
    CompletableFuture<Boolean> matches(char[] password, String hash) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    result.complete(BCrypt.verifyer().verify(password, hash).verified);
                } catch (RuntimeException e) {
                    result.complete(false); // a hash the library cannot read, or a password it refuses
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ScrapeException(ScrapeOutcome.AUTH_OVERLOADED,
                    "too many password checks at once; retry shortly"));
        }
        return result;
    }

    static boolean tooLong(char[] password) {
        return new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
