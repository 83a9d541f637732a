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
 * Keeps one scope of a cluster (a namespace, or all of it) in its {@link ClusterPods}: a paged list, then a watch
 * from the list's resourceVersion with bookmarks, resumed from the last version seen whenever it ends. A 410 or an
 * ERROR event means relist; a failure waits a capped, jittered backoff; a watch silent for longer than the stall
 * timeout is restarted. Everything runs on one event loop, so there is no locking.
 */
public final class PodWatcher implements WatchStream.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PodWatcher.class);
    private static final int MAX_PAGE_BYTES = 256 * 1024 * 1024;
    private static final long REJECT_LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ClusterSpec spec;
    private final String scope;
    private final ClusterPods store;
    private final UpstreamChannelPool pool;
    private final Supplier<String> authorization;
    private final EventLoop loop;
    private final ClusterMeters meters;
    private final Backoff backoff = new Backoff(500, 30_000);
    private Map<String, PodInfo> listing;
    private long listStart;
    private String resourceVersion;
    private boolean rejectLogged;
    private long lastRejectLog;
    private int rejectedSinceLog;
    private WatchStream watch;
    private long lastActivity;
    private ScheduledFuture<?> stallCheck;
    private boolean stopped;

    /** @param scope a namespace, or "" for the whole cluster */
    public PodWatcher(ClusterSpec spec, String scope, ClusterPods store, UpstreamChannelPool pool,
                      Supplier<String> authorization, EventLoop loop, ClusterMeters meters) {
        this.spec = spec;
        this.scope = scope;
        this.store = store;
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
                            retryLater(r.status() == 410 ? "expired" : "list_failed", ApiStatus.failure(spec,
                                    r.status(), ByteBufUtil.getBytes(r.body()), "list and watch on pods in this namespace", "GET " + path)
                                    .getMessage(), false);
                            return;
                        }
                        PodListJson.Page p = PodListJson.read(new ByteBufInputStream(r.body()));
                        listed(p);
                    } catch (IOException e) {
                        retryLater("list_failed", "unreadable pod list: " + e.getMessage(), false);
                    } catch (RuntimeException e) {
                        // A future swallows what its callbacks throw: without this the watcher would stop silently.
                        LOG.error("discovery cluster={} scope={}: unexpected failure", spec.name(), scope, e);
                        retryLater("list_failed", e.toString(), false);
                    } finally {
                        r.body().release();
                    }
                });
    }

    private void listed(PodListJson.Page p) {
        if (stopped) {
            return;
        }
        for (PodInfo pod : p.items()) {
            if (usable(pod) && spec.discovery().includes(pod.namespace())) {
                listing.put(pod.namespace() + "/" + pod.name(), pod);
            }
        }
        if (p.continueToken() != null) {
            page(p.continueToken());
            return;
        }
        store.replaceScope(scope, listing);
        listing = null;
        meters.listed(System.nanoTime() - listStart);
        resourceVersion = p.resourceVersion();
        watch();
    }

    /**
     * Whether discovery can use the pod. One it cannot (a name no conforming API server allows) is skipped and
     * counted by reason; a WARN line says so at most once a minute, with how many were skipped meanwhile.
     */
    private boolean usable(PodInfo pod) {
        String problem = PodCheck.problem(pod);
        if (problem == null) {
            return true;
        }
        meters.objectRejected(problem);
        rejectedSinceLog++;
        long now = System.nanoTime();
        if (!rejectLogged || now - lastRejectLog >= REJECT_LOG_EVERY_NANOS) {
            LOG.warn("discovery cluster={} scope={}: skipped {} pod(s) kubescrape cannot use ({}), the last "
                    + "namespace=\"{}\" name=\"{}\"", spec.name(), scope.isEmpty() ? "*" : scope, rejectedSinceLog,
                    problem, OutsideText.escape(PodCheck.shown(pod.namespace())),
                    OutsideText.escape(PodCheck.shown(pod.name())));
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
        watch = new WatchStream(pool, this);
        watch.start(UpstreamRequests.get(spec, path(true, null), authorization.get()));
    }

    @Override
    public void onStarted() {
        lastActivity = System.nanoTime();
        store.scopeInSync(scope);
    }

    @Override
    public void onEvent(WatchEvent e) {
        lastActivity = System.nanoTime();
        if (e.isError()) {
            watch.abort();
            watch = null;
            retryLater(e.errorCode() == 410 ? "expired" : "watch_error", e.errorCode() + " " + e.errorMessage(),
                    e.errorCode() == 410);
            return;
        }
        if (e.pod() != null && usable(e.pod()) && spec.discovery().includes(e.pod().namespace())) {
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
                    "list and watch on pods in this namespace", "watch").getMessage();
            retryLater(httpStatus == 0 ? "disconnected" : "watch_error", why, false);
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
        meters.watchRestarted(reason);
        boolean expired = reason.equals("expired");
        if (!expired) {
            String said = OutsideText.escape(detail); // the API server's words: shown on the browse page and logged
            store.scopeFailed(scope, said);
            LOG.warn("discovery cluster={} scope={} {}: {}", spec.name(), scope.isEmpty() ? "*" : scope, reason, said);
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
        StringBuilder sb = new StringBuilder("/api/v1/"); // the request adds the server URL's own path prefix
        if (!scope.isEmpty()) {
            sb.append("namespaces/").append(scope).append('/');
        }
        sb.append("pods?");
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
        String selector = spec.discovery().labelSelector();
        if (selector != null && !selector.isEmpty()) {
            sb.append("&labelSelector=").append(encode(selector));
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
