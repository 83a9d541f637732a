package io.kubescrape.resolve;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Pods by namespace/name, for RESOLVE. A found pod is kept for the TTL, a missing one for the (shorter)
 * negative TTL so a scrape storm against a deleted pod costs one GET; other failures are not kept.
 * Concurrent lookups of one pod share a single fetch. Discovery feeds the same cache later.
 */
public final class PodCache {
    private final AsyncCache<String, Lookup> cache;

    /** A cached answer: the pod, or the not-found failure. */
    private record Lookup(PodInfo pod, ScrapeException missing) {
    }

    public PodCache(Duration ttl, Duration negativeTtl, long maxPods) {
        long ttlNanos = ttl.toNanos();
        long negativeNanos = negativeTtl.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxPods)
                .expireAfter(new Expiry<String, Lookup>() {
                    @Override
                    public long expireAfterCreate(String key, Lookup value, long now) {
                        return value.pod != null ? ttlNanos : negativeNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Lookup value, long now, long current) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Lookup value, long now, long current) {
                        return current;
                    }
                })
                .executor(Runnable::run) // maintenance on the scraping thread: no pool thread woken per scrape
                .buildAsync();
    }

    /** The pod, from the cache or from {@code fetch} (which runs at most once for concurrent callers). */
    public CompletableFuture<PodInfo> get(String namespace, String name, Supplier<CompletableFuture<PodInfo>> fetch) {
        return cache.get(key(namespace, name), (key, executor) -> fetch.get().handle((pod, error) -> {
            if (error == null) {
                return new Lookup(pod, null);
            }
            ScrapeException se = ScrapeException.from(error);
            if (se.outcome() == ScrapeOutcome.UNKNOWN_POD) {
                return new Lookup(null, se);
            }
            throw se;
        })).thenApply(lookup -> {
            if (lookup.missing != null) {
                throw lookup.missing;
            }
            return lookup.pod;
        });
    }

    /** The pod when a successful answer is cached and complete right now, else null (then use {@link #get}). */
    public PodInfo getNow(String namespace, String name) {
        CompletableFuture<Lookup> f = cache.getIfPresent(key(namespace, name));
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return f.join().pod;
    }

    public void put(PodInfo pod) {
        cache.put(key(pod.namespace(), pod.name()), CompletableFuture.completedFuture(new Lookup(pod, null)));
    }

    public void invalidate(String namespace, String name) {
        cache.synchronous().invalidate(key(namespace, name));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
