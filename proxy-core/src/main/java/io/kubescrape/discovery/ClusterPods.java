package io.kubescrape.discovery;

import java.util.Collection;

/** One cluster's pods as its watches last saw them (see {@link WatchedObjects}), looked up by namespace and name. */
public final class ClusterPods extends WatchedObjects<PodInfo> {

    /** @param scopes the namespaces watched one by one, or {@code ""} for the whole cluster */
    public ClusterPods(Collection<String> scopes) {
        super(PodKind.INSTANCE, scopes);
    }

    public PodInfo get(String namespace, String name) {
        return get(namespace + "/" + name);
    }
}
