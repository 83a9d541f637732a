package io.kubescrape.sim;

import java.util.List;
import java.util.Map;

/** One simulated EndpointSlice (an app's pods in a namespace, behind its Service) and its JSON serialized once. */
record SimEndpointSlice(String namespace, String name, String uid, long resourceVersion, long createdMillis,
                        Map<String, String> labels, String ports, String endpoints, byte[] json) implements SimObject {

    @Override
    public List<String> cells(long nowMillis) {
        return List.of(name, "IPv4", ports, endpoints, ApiDocuments.age(nowMillis - createdMillis));
    }
}
