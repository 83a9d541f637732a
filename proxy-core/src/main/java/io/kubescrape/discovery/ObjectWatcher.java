package io.kubescrape.discovery;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.OutsideText;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.metrics.ClusterMeters;
import io.kubescrape.upstream.ApiStatus;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamGet;
import io.kubescrape.upstream.UpstreamRequests;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one scope of a cluster (a namespace, or all of it) of one kind of object in its {@link WatchedObjects}: a
 * paged list, then a watch
 * from the list's resourceVersion with bookmarks, resumed from the last version seen whenever it ends. A 410 or an
 * ERROR event means relist; a failure waits a capped, jittered backoff; a watch silent for longer than the stall
 * timeout is restarted. Everything runs on one event loop, so there is no locking.
 */
public final class ObjectWatcher<T> implements WatchStream.Listener<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectWatcher.class);
    private static final int MAX_PAGE_BYTES = 256 * 1024 * 1024;
    private static final long REJECT_LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final String FORBIDDEN = "forbidden";

    private final ClusterSpec spec;
    private final String scope;
    private final WatchedObjects<T> store;
    private final ObjectKind<T> kind;
    private final UpstreamChannelPool pool;
    private final Supplier<String> authorization;
    private final EventLoop loop;
    private final ClusterMeters meters;
    private final Backoff backoff = new Backoff(500, 30_000);
    private Map<String, T> listing;
    private long listStart;
    private String resourceVersion;
    private boolean rejectLogged;
    private long lastRejectLog;
    private int rejectedSinceLog;
    private WatchStream<T> watch;
    private long lastActivity;
    private ScheduledFuture<?> stallCheck;
    private boolean stopped;
    private boolean forbiddenLogged;

    /** @param scope a namespace, or "" for the whole cluster */
    public ObjectWatcher(ClusterSpec spec, String scope, WatchedObjects<T> store, UpstreamChannelPool pool,
                         Supplier<String> authorization, EventLoop loop, ClusterMeters meters) {
        this.spec = spec;
        this.scope = scope;
        this.store = store;
        this.kind = store.kind();
        this.pool = pool;
        this.authorization = authorization;
        this.loop = loop;
        this.meters = meters;
    }

    public void start() {
        long every = Math.max(1000, spec.discovery().stallTimeout().toMillis() / 4);
        stallCheck = loop.scheduleAtFixedRate(this::checkStall, every, every, TimeUnit.MILLISECONDS);
        loop.execute(this::list);
    }

    public void stop() {
        loop.execute(() -> {
            stopped = true;
            stallCheck.cancel(false);
            if (watch != null) {
                watch.abort();
                watch = null;
            }
        });
    }

    private void list() {
        if (stopped) {
            return;
        }
        listing = new HashMap<>();
        listStart = System.nanoTime();
        page(null);
    }

    private void page(String continueToken) {
        String path = path(false, continueToken);
        UpstreamGet.start(spec, pool, path, authorization.get(), loop, MAX_PAGE_BYTES, 60_000)
                .whenComplete((r, err) -> {
                    if (err != null) {
                        retryLater("list_failed", ScrapeException.from(err).getMessage(), false);
                        return;
                    }
                    try {
                        if (r.status() != 200) {
                            retryLater(r.status() == 410 ? "expired" : r.status() == 403 ? FORBIDDEN : "list_failed",
                                    ApiStatus.failure(spec,
                                    r.status(), ByteBufUtil.getBytes(r.body()), kind.permission(), "GET " + path)
                                    .getMessage(), false);
                            return;
                        }
                        ListJson.Page<T> p = ListJson.read(new ByteBufInputStream(r.body()), kind);
                        listed(p);
                    } catch (IOException e) {
                        retryLater("list_failed", "unreadable " + kind.listKind() + ": " + e.getMessage(), false);
                    } catch (RuntimeException e) {
                        // A future swallows what its callbacks throw: without this the watcher would stop silently.
                        LOG.error("discovery cluster={} role={} scope={}: unexpected failure", spec.name(), kind.role(),
                                scope, e);
                        retryLater("list_failed", e.toString(), false);
                    } finally {
                        r.body().release();
                    }
                });
    }

    private void listed(ListJson.Page<T> p) {
        if (stopped) {
            return;
        }
        for (T item : p.items()) {
            if (usable(item) && kind.inScope(spec, item)) {
                listing.put(kind.key(item), item);
            }
        }
        if (p.continueToken() != null) {
            page(p.continueToken());
            return;
        }
        store.replaceScope(scope, listing);
        forbiddenLogged = false;
        listing = null;
        meters.listed(System.nanoTime() - listStart);
        resourceVersion = p.resourceVersion();
        watch();
    }

    /**
     * Whether discovery can use the object. One it cannot (a name no conforming API server allows) is skipped and
     * counted by reason; a WARN line says so at most once a minute, with how many were skipped meanwhile.
     */
    private boolean usable(T item) {
        String problem = kind.problem(item);
        if (problem == null) {
            return true;
        }
        meters.objectRejected(problem);
        rejectedSinceLog++;
        long now = System.nanoTime();
        if (!rejectLogged || now - lastRejectLog >= REJECT_LOG_EVERY_NANOS) {
            LOG.warn("discovery cluster={} scope={}: skipped {} {}(s) kubescrape cannot use ({}), the last "
                    + "namespace=\"{}\" name=\"{}\"", spec.name(), scope.isEmpty() ? "*" : scope, rejectedSinceLog,
                    kind.role(), problem, OutsideText.escape(PodCheck.shown(kind.namespace(item))),
                    OutsideText.escape(PodCheck.shown(kind.name(item))));
            rejectLogged = true;
            lastRejectLog = now;
            rejectedSinceLog = 0;
        }
        return false;
    }

    private void watch() {
        if (stopped) {
            return;
        }
        lastActivity = System.nanoTime();
        watch = new WatchStream<>(pool, kind, this);
        watch.start(UpstreamRequests.get(spec, path(true, null), authorization.get()));
    }

    @Override
    public void onStarted() {
        lastActivity = System.nanoTime();
        store.scopeInSync(scope);
    }

    @Override
    public void onEvent(WatchEvent<T> e) {
        lastActivity = System.nanoTime();
        if (e.isError()) {
            watch.abort();
            watch = null;
            retryLater(e.errorCode() == 410 ? "expired" : "watch_error", e.errorCode() + " " + e.errorMessage(),
                    e.errorCode() == 410);
            return;
        }
        if (e.item() != null && usable(e.item()) && kind.inScope(spec, e.item())) {
            store.apply(e);
        }
        if (e.resourceVersion() != null) {
            resourceVersion = e.resourceVersion();
        }
        backoff.reset();
        store.touch();
    }

    @Override
    public void onEnd(String failure, int httpStatus, byte[] errorBody) {
        watch = null;
        if (stopped) {
            return;
        }
        if (failure == null) {
            watch(); // the server ended the watch at its timeout: resume where it left off
        } else if (httpStatus == 410) {
            retryLater("expired", failure, true);
        } else {
            String why = errorBody == null ? failure : ApiStatus.failure(spec, httpStatus, errorBody,
                    kind.permission(), "watch").getMessage();
            retryLater(httpStatus == 0 ? "disconnected" : httpStatus == 403 ? FORBIDDEN : "watch_error", why, false);
        }
    }

    private void checkStall() {
        if (watch != null && System.nanoTime() - lastActivity > spec.discovery().stallTimeout().toNanos()) {
            watch.abort();
            watch = null;
            retryLater("stalled", "no event or bookmark for " + spec.discovery().stallTimeout().toSeconds() + " s",
                    false);
        }
    }

    /**
     * Counts the restart and tries again after a backoff (at once for an expired version, which only needs a
     * relist): a resume from the last version when there is one and it is not expired, else a fresh list.
     */
    private void retryLater(String reason, String detail, boolean relist) {
        if (stopped) {
            return;
        }
        meters.watchRestarted(kind.role(), reason);
        boolean expired = reason.equals("expired");
        if (!expired) {
            String said = OutsideText.escape(detail); // the API server's words: shown on the browse page and logged
            store.scopeFailed(scope, said);
            // A missing permission is said once, not at every retry: it stays missing until someone adds it.
            if (!reason.equals(FORBIDDEN) || !forbiddenLogged) {
                LOG.warn("discovery cluster={} role={} scope={} {}: {}{}", spec.name(), kind.role(),
                        scope.isEmpty() ? "*" : scope, reason, said, reason.equals(FORBIDDEN)
                                ? " (the other roles go on; this one retries quietly until the rule is added)" : "");
            }
            forbiddenLogged |= reason.equals(FORBIDDEN);
        }
        if (relist || expired) {
            resourceVersion = null;
        }
        long wait = expired ? 0 : backoff.nextMillis();
        loop.schedule(() -> {
            if (resourceVersion != null) {
                watch();
            } else {
                list();
            }
        }, wait, TimeUnit.MILLISECONDS);
    }

    private String path(boolean watching, String continueToken) {
        // The request adds the server URL's own path prefix.
        StringBuilder sb = new StringBuilder(kind.collectionPath(scope)).append('?');
        if (watching) {
            long timeout = 300 + ThreadLocalRandom.current().nextLong(300); // spread re-watches over time
            sb.append("watch=1&allowWatchBookmarks=true&timeoutSeconds=").append(timeout)
                    .append("&resourceVersion=").append(encode(resourceVersion));
        } else {
            sb.append("limit=").append(spec.discovery().pageSize());
            if (continueToken != null) {
                sb.append("&continue=").append(encode(continueToken));
            }
        }
        String selector = kind.labelSelector(spec);
        if (selector != null && !selector.isEmpty()) {
            sb.append("&labelSelector=").append(encode(selector));
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
