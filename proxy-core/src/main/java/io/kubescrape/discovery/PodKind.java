package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.config.ClusterSpec;
import java.io.IOException;

/** Pods: namespaced, filtered by the cluster's discovery namespaces and label selector. */
public final class PodKind implements ObjectKind<PodInfo> {
    public static final PodKind INSTANCE = new PodKind();

    private PodKind() {
    }

    @Override
    public String role() {
        return "pod";
    }

    @Override
    public String collectionPath(String scope) {
        return scope.isEmpty() ? "/api/v1/pods" : "/api/v1/namespaces/" + scope + "/pods";
    }

    @Override
    public String listKind() {
        return "PodList";
    }

    @Override
    public PodInfo read(JsonParser p) throws IOException {
        return PodJson.readPod(p);
    }


    @Override
    public String namespace(PodInfo pod) {
        return pod.namespace();
    }

    @Override
    public String name(PodInfo pod) {
        return pod.name();
    }

    @Override
    public String resourceVersion(PodInfo pod) {
        return pod.resourceVersion();
    }

    @Override
    public String problem(PodInfo pod) {
        return PodCheck.problem(pod);
    }


    @Override
    public String labelSelector(ClusterSpec spec) {
        return spec.discovery().labelSelector();
    }

    @Override
    public String permission() {
        return "list and watch on pods in this namespace";
    }
}
