package io.kubescrape.cluster;

import io.kubescrape.config.ExecSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token from an exec credential plugin: fetched at start, kept until its expiry less a margin, then refreshed in
 * the background; event loops only ever read the current one. {@link #refresh()} fetches anew at once (after a
 * 401), sharing one run between concurrent callers.
 */
final class ExecTokenSource extends TokenSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecTokenSource.class);
    private static final Duration MARGIN = Duration.ofSeconds(60);
    private static final long TIMEOUT_MILLIS = 30_000;

    private final ExecSpec spec;
    private final String cluster;
    private final ScheduledExecutorService runner;
    private volatile String header;
    private CompletableFuture<Void> inFlight;

    ExecTokenSource(ExecSpec spec, String cluster) throws IOException {
        this.spec = spec;
        this.cluster = cluster;
        this.runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubescrape-exec-" + cluster);
            t.setDaemon(true);
            return t;
        });
        ExecCredentials.Credential first = ExecCredentials.run(spec, cluster, TIMEOUT_MILLIS);
        apply(first, bearer(first.token(), "the exec plugin of cluster " + cluster)); // a cluster needs a token
    }

    @Override
    public String authorization() {
        return header;
    }

    @Override
    public boolean refreshable() {
        return true;
    }

    @Override
    public synchronized CompletableFuture<Void> refresh() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.runAsync(this::fetch, runner);
        }
        return inFlight;
    }

    private void fetch() {
        try {
            ExecCredentials.Credential c = ExecCredentials.run(spec, cluster, TIMEOUT_MILLIS);
            apply(c, bearer(c.token(), "the exec plugin of cluster " + cluster));
        } catch (IOException e) {
            LOG.warn("{}; keeping the current token, retrying in 30 s", e.getMessage());
            runner.schedule(this::refresh, 30, TimeUnit.SECONDS);
            throw new UncheckedIOException(e);
        }
    }

    private void apply(ExecCredentials.Credential c, String bearer) {
        header = bearer;
        if (c.expires() != null) {
            long wait = Math.max(1000, Duration.between(Instant.now(), c.expires().minus(MARGIN)).toMillis());
            runner.schedule(this::refresh, wait, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
