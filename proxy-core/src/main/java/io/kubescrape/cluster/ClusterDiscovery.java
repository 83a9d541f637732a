package io.kubescrape.cluster;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.discovery.EndpointSliceInfo;
import io.kubescrape.discovery.EndpointSliceKind;
import io.kubescrape.discovery.NodeInfo;
import io.kubescrape.discovery.NodeKind;
import io.kubescrape.discovery.ObjectWatcher;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.discovery.ServiceKind;
import io.kubescrape.discovery.WatchedObjects;
import io.kubescrape.metrics.ClusterMeters;
import io.kubescrape.upstream.ClusterPools;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What discovery keeps of one cluster, by role: its pods, nodes, Services and EndpointSlices (each store only when
 * {@code discovery.roles} takes it), and the watches that fill them, each on one of the event loops.
 */
final class ClusterDiscovery {
    private final ClusterSpec spec;
    private final ClusterPods pods;
    private final WatchedObjects<NodeInfo> nodes;
    private final WatchedObjects<ServiceInfo> services;
    private final WatchedObjects<EndpointSliceInfo> slices;
    private final List<ObjectWatcher<?>> watchers = new ArrayList<>();

    ClusterDiscovery(ClusterSpec spec) {
        this.spec = spec;
        List<String> scopes = scopes(spec);
        this.pods = spec.discovery().watches("pod") ? new ClusterPods(scopes) : null;
        this.nodes = spec.discovery().watches("node") ? new WatchedObjects<>(NodeKind.INSTANCE, List.of("")) : null;
        boolean endpoints = spec.discovery().watches("endpoints");
        this.services = endpoints ? new WatchedObjects<>(ServiceKind.INSTANCE, scopes) : null;
        this.slices = endpoints ? new WatchedObjects<>(EndpointSliceKind.INSTANCE, scopes) : null;
    }

    /** The namespaces watched one by one, or "" for the whole cluster. */
    private static List<String> scopes(ClusterSpec spec) {
        List<String> ns = spec.discovery().namespaces().stream().filter(spec.discovery()::includes).toList();
        return ns.isEmpty() ? List.of("") : ns;
    }

    ClusterPods pods() {
        return pods;
    }

    WatchedObjects<NodeInfo> nodes() {
        return nodes;
    }

    WatchedObjects<ServiceInfo> services() {
        return services;
    }

    WatchedObjects<EndpointSliceInfo> slices() {
        return slices;
    }

    List<WatchedObjects<?>> stores() {
        List<WatchedObjects<?>> all = new ArrayList<>(4);
        for (WatchedObjects<?> store : new WatchedObjects<?>[] {pods, nodes, services, slices}) {
            if (store != null) {
                all.add(store);
            }
        }
        return all;
    }

    /** Starts every watch, once (a cluster a reload kept is already running). */
    synchronized void start(EventLoopGroup group, ClusterPools pools, Supplier<String> authorization,
                            ClusterMeters meters) {
        if (!watchers.isEmpty()) {
            return;
        }
        for (WatchedObjects<?> store : stores()) {
            List<String> scopes = store == nodes ? List.of("") : scopes(spec);
            for (String scope : scopes) {
                watch(store, scope, (EventLoop) group.next(), pools, authorization, meters);
            }
        }
    }

    private <T> void watch(WatchedObjects<T> store, String scope, EventLoop loop, ClusterPools pools,
                           Supplier<String> authorization, ClusterMeters meters) {
        ObjectWatcher<T> w = new ObjectWatcher<>(spec, scope, store, pools.on(loop), authorization, loop, meters);
        watchers.add(w);
        w.start();
    }

    synchronized void stop() {
        watchers.forEach(ObjectWatcher::stop);
    }
}
