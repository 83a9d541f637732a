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
              Fault fault, byte[] json) {

    /** How a fault pod answers a scrape. */
    enum Fault { NONE, SLOW, RESET_LENGTH, RESET_CHUNKED, ERROR_500 }

    String key() {
        return namespace + "/" + name;
    }

    /** The first declared container port: what the API server uses when the proxy path names no port. */
    int firstPort() {
        return servedPorts.get(0);
    }
}
