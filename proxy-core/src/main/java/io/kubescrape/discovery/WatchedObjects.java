package io.kubescrape.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of a cluster's objects (its objects, its nodes) as its watches last saw them. Only what the API server says
 * changes it: an outage marks the store stale and keeps every object, so targets never vanish because a cluster is
 * unreachable. Each change bumps a generation, which service discovery uses to know when to rebuild.
 */
public class WatchedObjects<T> {
    /** How current the store is: first list under way, in sync, lost contact after syncing, or never synced. */
    public enum Health { SYNCING, SYNCED, STALE, ERROR }

    private final ObjectKind<T> kind;
    private final ConcurrentHashMap<String, T> objects = new ConcurrentHashMap<>();
    private final Map<String, Health> scopes = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastError;
    private volatile long lastSyncMillis;

    /** @param scopes the namespaces watched one by one, or {@code ""} for the whole cluster */
    public WatchedObjects(ObjectKind<T> kind, Collection<String> scopes) {
        this.kind = kind;
        scopes.forEach(s -> this.scopes.put(s, Health.SYNCING));
    }

    public ObjectKind<T> kind() {
        return kind;
    }

    /** @param key the object's {@link ObjectKind#key} */
    public T get(String key) {
        return objects.get(key);
    }

    public Collection<T> all() {
        return Collections.unmodifiableCollection(objects.values());
    }

    public int size() {
        return objects.size();
    }

    public long generation() {
        return generation.get();
    }

    /** Called after every change, on the watching event loop: must only hand the news on. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** A watch event: ADDED and MODIFIED put the object, DELETED removes it. */
    public void apply(WatchEvent<T> e) {
        T pod = e.item();
        if (pod == null) {
            return;
        }
        String key = kind.key(pod);
        boolean changed = e.type().equals("DELETED") ? objects.remove(key) != null : !pod.equals(objects.put(key, pod));
        if (changed) {
            changed();
        }
    }

    /** A complete list of one scope: its objects become exactly {@code fresh} (those deleted meanwhile leave). */
    public void replaceScope(String scope, Map<String, T> fresh) {
        boolean changed = false;
        for (var it = objects.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if ((scope.isEmpty() || scope.equals(kind.namespace(entry.getValue()))) && !fresh.containsKey(entry.getKey())) {
                it.remove();
                changed = true;
            }
        }
        for (var entry : fresh.entrySet()) {
            changed |= !entry.getValue().equals(objects.put(entry.getKey(), entry.getValue()));
        }
        scopes.put(scope, Health.SYNCED);
        lastSyncMillis = System.currentTimeMillis();
        if (changed) {
            changed();
        }
    }

    /** An event or bookmark arrived: the store is confirmed current as of now. */
    public void touch() {
        lastSyncMillis = System.currentTimeMillis();
    }

    /** The scope's watch is running again after a list or a resume. */
    public void scopeInSync(String scope) {
        scopes.put(scope, Health.SYNCED);
        lastSyncMillis = System.currentTimeMillis();
    }

    /** The scope lost contact; its objects stay. */
    public void scopeFailed(String scope, String error) {
        lastError = error;
        scopes.computeIfPresent(scope, (s, h) -> h == Health.SYNCED || h == Health.STALE ? Health.STALE : Health.ERROR);
    }

    public Health health() {
        Collection<Health> all = scopes.values();
        if (all.contains(Health.ERROR)) {
            return Health.ERROR;
        }
        if (all.contains(Health.STALE)) {
            return Health.STALE;
        }
        return all.contains(Health.SYNCING) ? Health.SYNCING : Health.SYNCED;
    }

    /** True once every scope has finished its first list or failed it (and is backing off). */
    public boolean firstListDone() {
        return !scopes.containsValue(Health.SYNCING);
    }

    public String lastError() {
        return lastError;
    }

    /** When a list or watch last confirmed the store, or 0 if never. */
    public long lastSyncMillis() {
        return lastSyncMillis;
    }

    private void changed() {
        generation.incrementAndGet();
        for (Runnable r : listeners) {
            r.run();
        }
    }
}
