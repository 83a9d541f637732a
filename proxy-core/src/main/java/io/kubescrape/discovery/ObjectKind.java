package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.config.ClusterSpec;
import java.io.IOException;

/**
 * What list-and-watch needs to know of one kind of object: where its collection is, how to read one object from
 * a stream, what identifies it, whether discovery can use it, and which permission listing it takes.
 *
 * @param <T> what kubescrape keeps of the object
 */
public interface ObjectKind<T> {
    /** The role this kind serves, for logs, metrics and the browse page: "pod", "node". */
    String role();

    /** The collection's path for a scope: a namespace, or "" for the whole cluster (the only scope of a cluster-scoped kind). */
    String collectionPath(String scope);

    /** The list's kind, e.g. "PodList". */
    String listKind();

    /** Reads one object; the parser stands on its START_OBJECT and ends on its END_OBJECT. */
    T read(JsonParser p) throws IOException;

    /** Unique within the cluster: "namespace/name", or the name of a cluster-scoped object. */
    default String key(T item) {
        String ns = namespace(item);
        return ns.isEmpty() ? name(item) : ns + "/" + name(item);
    }

    /** The object's namespace, or "" for a cluster-scoped one. */
    String namespace(T item);

    String name(T item);

    String resourceVersion(T item);

    /** The reason discovery cannot use the object (a metric tag), or null when it can. */
    String problem(T item);

    /** Whether the cluster's discovery settings take objects of this namespace (a cluster-scoped one: always). */
    default boolean inScope(ClusterSpec spec, T item) {
        String ns = namespace(item);
        return ns.isEmpty() || spec.discovery().includes(ns);
    }

    /** The label selector sent with lists and watches, or null. */
    default String labelSelector(ClusterSpec spec) {
        return null;
    }

    /** The RBAC rule listing and watching takes, as a missing one is reported: "list and watch on pods". */
    String permission();
}
