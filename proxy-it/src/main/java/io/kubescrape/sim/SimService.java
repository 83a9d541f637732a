package io.kubescrape.sim;

import java.util.List;
import java.util.Map;

/** One simulated Service (selecting an app's pods in a namespace) and its v1 JSON serialized once. */
record SimService(String namespace, String name, String uid, long resourceVersion, long createdMillis,
                  Map<String, String> labels, String clusterIp, String ports, byte[] json) implements SimObject {

    @Override
    public List<String> cells(long nowMillis) {
        return List.of(name, "ClusterIP", clusterIp, "<none>", ports, ApiDocuments.age(nowMillis - createdMillis),
                "app=" + name);
    }
}
