package io.kubescrape.sim;

import java.util.List;
import java.util.Map;

/**
 * One simulated node: its identity and address, how its kubelet misbehaves (if it is a fault node), and its v1 Node
 * JSON serialized once.
 */
record SimNode(String name, String uid, long resourceVersion, long createdMillis, String internalIp,
               Map<String, String> labels, Fault fault, byte[] json) implements SimObject {

    /** How a fault node's kubelet answers: slowly, by resetting the connection, or not at all (NotReady). */
    enum Fault { NONE, SLOW, RESET, NOT_READY }

    static final String KUBELET_VERSION = "v1.32.4";
    static final String OS_IMAGE = "Debian GNU/Linux 12 (bookworm)";
    static final String KERNEL = "6.1.0-27-cloud-amd64";
    static final String RUNTIME = "containerd://1.7.24";

    @Override
    public String namespace() {
        return "";
    }

    boolean ready() {
        return fault != Fault.NOT_READY;
    }

    @Override
    public List<String> cells(long nowMillis) {
        return List.of(name, ready() ? "Ready" : "NotReady", "<none>", ApiDocuments.age(nowMillis - createdMillis),
                KUBELET_VERSION, internalIp, "<none>", OS_IMAGE, KERNEL, RUNTIME);
    }
}
