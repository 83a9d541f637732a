package io.kubescrape.sim;

import java.util.List;
import java.util.Map;

/**
 * One simulated pod: its identity, where its metrics live, how it misbehaves (if it is a fault pod), and its
 * v1 Pod JSON serialized once when the pod is created, never per request.
 *
 * @param servedPorts the container ports something listens on; any other port is "connection refused"
 */
record SimPod(String namespace, String name, String uid, long resourceVersion, long createdMillis, String ip,
              String node, Map<String, String> labels, List<Integer> servedPorts, String metricsPath,
              Fault fault, byte[] json) implements SimObject {

    /** How a fault pod answers a scrape. */
    enum Fault { NONE, SLOW, RESET_LENGTH, RESET_CHUNKED, ERROR_500, TYPE_CONFLICT, MALFORMED, OPENMETRICS, GZIP_ONLY }

    @Override
    public String key() {
        return namespace + "/" + name;
    }

    @Override
    public List<String> cells(long nowMillis) {
        return List.of(name, "1/1", "Running", "0", ApiDocuments.age(nowMillis - createdMillis), ip, node);
    }

    /** The first declared container port: what the API server uses when the proxy path names no port. */
    int firstPort() {
        return servedPorts.get(0);
    }
}
