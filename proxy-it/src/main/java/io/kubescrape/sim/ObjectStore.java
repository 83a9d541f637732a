package io.kubescrape.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One kind of the simulated cluster's objects, in key order (so paging is stable), with a resource version that
 * grows with every change (shared by every kind, as etcd's is) and a bounded history of change events for watches;
 * a watch from before the history is 410.
 */
final class ObjectStore<T extends SimObject> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY = 2000;

    /** A change, with the object as a watcher receives it. */
    record Event<T>(String type, long resourceVersion, T item, byte[] object) {
    }

    /** Receives events; called under the store's lock, so it must only hand them on. */
    interface Watcher<T> {
        void onEvent(Event<T> event);

        /** Ends the watch as a server restart or a load balancer would. */
        void disconnect();
    }

    /** One page of a list: its items, the resource version it was read at, and the next page's start key. */
    record Page<T>(List<T> items, long resourceVersion, String nextKey, int remaining) {
    }

    private final SimKind kind;
    private final AtomicLong versions;
    private final NavigableMap<String, T> items = new TreeMap<>();
    private final ArrayDeque<Event<T>> history = new ArrayDeque<>();
    private final List<Watcher<T>> watchers = new CopyOnWriteArrayList<>();
    private long resourceVersion;
    private boolean paused;
    private final List<Consumer<T>> changes = new CopyOnWriteArrayList<>();

    /** Called with each object added, replaced or deleted, under this store's lock: must only touch other stores. */
    void onChange(Consumer<T> listener) {
        changes.add(listener);
    }

    /** @param versions the cluster's resource version, shared by every kind's store */
    ObjectStore(SimKind kind, AtomicLong versions) {
        this.kind = kind;
        this.versions = versions;
        this.resourceVersion = versions.get();
    }

    SimKind kind() {
        return kind;
    }

    synchronized long nextResourceVersion() {
        resourceVersion = versions.incrementAndGet();
        return resourceVersion;
    }

    synchronized long resourceVersion() {
        return Math.max(resourceVersion, versions.get());
    }

    /** Adds (or replaces: MODIFIED) an object made with {@link #nextResourceVersion()}. */
    synchronized void add(T item) {
        T before = items.put(item.key(), item);
        publish(new Event<>(before == null ? "ADDED" : "MODIFIED", item.resourceVersion(), item, item.json()));
        changes.forEach(c -> c.accept(item));
    }

    /** Deletes an object; the DELETED event carries it at the deletion's resource version. */
    synchronized T delete(String key) {
        T item = items.remove(key);
        if (item != null) {
            long rv = nextResourceVersion();
            publish(new Event<>("DELETED", rv, item, withResourceVersion(item.json(), rv)));
            changes.forEach(c -> c.accept(item));
        }
        return item;
    }

    /** @param namespace "" for a cluster-scoped kind */
    synchronized T get(String namespace, String name) {
        return items.get(namespace.isEmpty() ? name : namespace + "/" + name);
    }

    synchronized List<T> all() {
        return new ArrayList<>(items.values());
    }

    /** A page of items in {@code namespace} (null: all) matching the selector, starting after {@code afterKey}. */
    synchronized Page<T> list(String namespace, Predicate<Map<String, String>> selector, int limit, String afterKey) {
        NavigableMap<String, T> view = afterKey == null ? items : items.tailMap(afterKey, false);
        List<T> page = new ArrayList<>();
        String next = null;
        int remaining = 0;
        for (T p : view.values()) {
            if ((namespace != null && !namespace.equals(p.namespace())) || !selector.test(p.labels())) {
                continue;
            }
            if (limit > 0 && page.size() >= limit) {
                remaining++;
                continue;
            }
            page.add(p);
            next = p.key();
        }
        return new Page<>(page, resourceVersion(), remaining > 0 ? next : null, remaining);
    }

    /**
     * Registers a watcher from {@code fromVersion} on: replays newer history first. Returns false (and registers
     * nothing) when that version is older than the history kept: the caller answers 410 Gone.
     */
    synchronized boolean watch(long fromVersion, Watcher w) {
        Event<T> oldest = history.peekFirst();
        if (fromVersion > 0 && oldest != null && fromVersion < oldest.resourceVersion() - 1) {
            return false;
        }
        if (fromVersion > 0) {
            for (Event<T> e : history) {
                if (e.resourceVersion() > fromVersion && e.item() != null) {
                    w.onEvent(e);
                }
            }
        } else {
            for (T p : items.values()) {
                w.onEvent(new Event<>("ADDED", p.resourceVersion(), p, p.json()));
            }
        }
        watchers.add(w);
        return true;
    }

    /** Watches open now. */
    int openWatches() {
        return watchers.size();
    }

    void unwatch(Watcher<T> w) {
        watchers.remove(w);
    }

    private void publish(Event<T> e) {
        history.addLast(e);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        if (!paused) {
            for (Watcher<T> w : watchers) {
                w.onEvent(e);
            }
        }
    }

    synchronized boolean paused() {
        return paused;
    }

    /** Test hook: while paused, changes are made and kept in history but open watches get nothing, not even bookmarks. */
    synchronized void pause(boolean on) {
        paused = on;
    }

    /** Test hook: forgets the event history, so resuming from any earlier version gets 410 Gone. */
    synchronized void expireHistory() {
        history.clear();
        // A marker one past the current version: resuming from any version before now gets 410.
        history.addLast(new Event<>("EXPIRED", resourceVersion() + 1, null, null));
    }

    /** Test hook: ends every open watch. */
    void disconnectWatchers() {
        for (Watcher<T> w : watchers) {
            watchers.remove(w);
            w.disconnect();
        }
    }

    private static byte[] withResourceVersion(byte[] json, long rv) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            ((ObjectNode) node.get("metadata")).put("resourceVersion", Long.toString(rv));
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
