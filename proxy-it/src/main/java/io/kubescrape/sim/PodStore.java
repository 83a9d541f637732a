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
import java.util.function.Predicate;

/**
 * The simulated cluster's pods, in key order (so paging is stable), with a resource version that grows with
 * every change and a bounded history of change events for watches; a watch from before the history is 410.
 */
final class PodStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY = 2000;

    /** A change, with the object as a watcher receives it. */
    record Event(String type, long resourceVersion, SimPod pod, byte[] object) {
    }

    /** Receives events; called under the store's lock, so it must only hand them on. */
    interface Watcher {
        void onEvent(Event event);

        /** Ends the watch as a server restart or a load balancer would. */
        void disconnect();
    }

    /** One page of a list: its items, the resource version it was read at, and the next page's start key. */
    record Page(List<SimPod> items, long resourceVersion, String nextKey, int remaining) {
    }

    private final NavigableMap<String, SimPod> pods = new TreeMap<>();
    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long resourceVersion = 1000;
    private boolean paused;

    synchronized long nextResourceVersion() {
        return ++resourceVersion;
    }

    synchronized long resourceVersion() {
        return resourceVersion;
    }

    /** Adds a pod made with {@link #nextResourceVersion()}. */
    synchronized void add(SimPod pod) {
        pods.put(pod.key(), pod);
        publish(new Event("ADDED", pod.resourceVersion(), pod, pod.json()));
    }

    /** Deletes a pod; the DELETED event carries the object at the deletion's resource version. */
    synchronized SimPod delete(String key) {
        SimPod pod = pods.remove(key);
        if (pod != null) {
            long rv = ++resourceVersion;
            publish(new Event("DELETED", rv, pod, withResourceVersion(pod.json(), rv)));
        }
        return pod;
    }

    synchronized SimPod get(String namespace, String name) {
        return pods.get(namespace + "/" + name);
    }

    synchronized List<SimPod> all() {
        return new ArrayList<>(pods.values());
    }

    /** A page of pods in {@code namespace} (null: all) matching the selector, starting after {@code afterKey}. */
    synchronized Page list(String namespace, Predicate<Map<String, String>> selector, int limit, String afterKey) {
        NavigableMap<String, SimPod> view = afterKey == null ? pods : pods.tailMap(afterKey, false);
        List<SimPod> items = new ArrayList<>();
        String next = null;
        int remaining = 0;
        for (SimPod p : view.values()) {
            if ((namespace != null && !namespace.equals(p.namespace())) || !selector.test(p.labels())) {
                continue;
            }
            if (limit > 0 && items.size() >= limit) {
                remaining++;
                continue;
            }
            items.add(p);
            next = p.key();
        }
        return new Page(items, resourceVersion, remaining > 0 ? next : null, remaining);
    }

    /**
     * Registers a watcher from {@code fromVersion} on: replays newer history first. Returns false (and registers
     * nothing) when that version is older than the history kept: the caller answers 410 Gone.
     */
    synchronized boolean watch(long fromVersion, Watcher w) {
        Event oldest = history.peekFirst();
        if (fromVersion > 0 && oldest != null && fromVersion < oldest.resourceVersion() - 1) {
            return false;
        }
        if (fromVersion > 0) {
            for (Event e : history) {
                if (e.resourceVersion() > fromVersion && e.pod() != null) {
                    w.onEvent(e);
                }
            }
        } else {
            for (SimPod p : pods.values()) {
                w.onEvent(new Event("ADDED", p.resourceVersion(), p, p.json()));
            }
        }
        watchers.add(w);
        return true;
    }

    /** Watches open now. */
    int openWatches() {
        return watchers.size();
    }

    void unwatch(Watcher w) {
        watchers.remove(w);
    }

    private void publish(Event e) {
        history.addLast(e);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        if (!paused) {
            for (Watcher w : watchers) {
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
        history.addLast(new Event("EXPIRED", resourceVersion + 1, null, null));
    }

    /** Test hook: ends every open watch. */
    void disconnectWatchers() {
        for (Watcher w : watchers) {
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
