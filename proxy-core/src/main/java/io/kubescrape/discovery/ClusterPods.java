package io.kubescrape.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One cluster's pods as its watches last saw them. Only what the API server says changes it: an outage marks
 * the store stale and keeps every pod, so targets never vanish because a cluster is unreachable. Each change
 * bumps a generation, which service discovery uses to know when to rebuild.
 */
public final class ClusterPods {
    /** How current the store is: first list under way, in sync, lost contact after syncing, or never synced. */
    public enum Health { SYNCING, SYNCED, STALE, ERROR }

    private final ConcurrentHashMap<String, PodInfo> pods = new ConcurrentHashMap<>();
    private final Map<String, Health> scopes = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastError;
    private volatile long lastSyncMillis;

    /** @param scopes the namespaces watched one by one, or {@code ""} for the whole cluster */
    public ClusterPods(Collection<String> scopes) {
        scopes.forEach(s -> this.scopes.put(s, Health.SYNCING));
    }

    public PodInfo get(String namespace, String name) {
        return pods.get(namespace + "/" + name);
    }

    public Collection<PodInfo> all() {
        return Collections.unmodifiableCollection(pods.values());
    }

    public int size() {
        return pods.size();
    }

    public long generation() {
        return generation.get();
    }

    /** Called after every change, on the watching event loop: must only hand the news on. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** A watch event: ADDED and MODIFIED put the pod, DELETED removes it. */
    public void apply(WatchEvent e) {
        PodInfo pod = e.pod();
        if (pod == null) {
            return;
        }
        String key = pod.namespace() + "/" + pod.name();
        boolean changed = e.type().equals("DELETED") ? pods.remove(key) != null : !pod.equals(pods.put(key, pod));
        if (changed) {
            changed();
        }
    }

    /** A complete list of one scope: its pods become exactly {@code fresh} (pods deleted meanwhile leave). */
    public void replaceScope(String scope, Map<String, PodInfo> fresh) {
        boolean changed = false;
        for (var it = pods.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if ((scope.isEmpty() || scope.equals(entry.getValue().namespace())) && !fresh.containsKey(entry.getKey())) {
                it.remove();
                changed = true;
            }
        }
        for (var entry : fresh.entrySet()) {
            changed |= !entry.getValue().equals(pods.put(entry.getKey(), entry.getValue()));
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

    /** The scope lost contact; its pods stay. */
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
