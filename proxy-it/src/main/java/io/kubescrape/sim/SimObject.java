package io.kubescrape.sim;

import java.util.List;
import java.util.Map;

/** A Kubernetes object as kube-sim serves it: identity, labels, and its JSON serialized once, never per request. */
interface SimObject {
    /** The namespace, or "" for a cluster-scoped object (a Node). */
    String namespace();

    String name();

    String uid();

    long resourceVersion();

    long createdMillis();

    Map<String, String> labels();

    byte[] json();

    /** The cells of this object's row in its kind's {@link SimKind#columns()}. */
    List<String> cells(long nowMillis);

    default String key() {
        return namespace().isEmpty() ? name() : namespace() + "/" + name();
    }
}
