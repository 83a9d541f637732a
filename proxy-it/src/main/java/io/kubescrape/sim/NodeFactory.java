package io.kubescrape.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Makes realistic v1 Nodes: {@code node-1}..{@code node-N}, which the regular pods are spread over, and the fault
 * nodes {@code slow-node}, {@code reset-node} and {@code notready-node}, which carry no pods.
 */
final class NodeFactory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ZONES = {"eu-west-1a", "eu-west-1b", "eu-west-1c"};

    private NodeFactory() {
    }

    /** The name of regular node {@code index} (1-based), as pods' {@code spec.nodeName} gives it. */
    static String name(int index) {
        return "node-" + index;
    }

    /** The InternalIP of node {@code index}, which its pods' {@code status.hostIP} repeats. */
    static String internalIp(int index) {
        return "192.168." + (index / 256) + "." + (index % 256);
    }

    /** Regular node {@code index} (1-based). */
    static SimNode regular(int index, long resourceVersion) {
        return build(name(index), index, resourceVersion, SimNode.Fault.NONE);
    }

    /** The fault nodes: one per way a kubelet can fail a scrape. */
    static List<SimNode> faults(LongSupplier versions) {
        List<SimNode> nodes = new ArrayList<>();
        nodes.add(build("slow-node", 251, versions.getAsLong(), SimNode.Fault.SLOW));
        nodes.add(build("reset-node", 252, versions.getAsLong(), SimNode.Fault.RESET));
        nodes.add(build("notready-node", 253, versions.getAsLong(), SimNode.Fault.NOT_READY));
        return nodes;
    }

    private static SimNode build(String name, int index, long rv, SimNode.Fault fault) {
        String uid = UUID.nameUUIDFromBytes(("node/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        String ip = internalIp(index);
        long created = System.currentTimeMillis();
        String createdAt = Instant.ofEpochMilli(created).toString().replaceAll("\\.\\d+Z$", "Z");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("node.kubernetes.io/instance-type", "m6i.large");
        labels.put("topology.kubernetes.io/region", "eu-west-1");
        labels.put("topology.kubernetes.io/zone", ZONES[index % ZONES.length]);
        labels.put("sim.kubescrape.io/fault", fault.name().toLowerCase().replace('_', '-'));
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", "Node").put("apiVersion", "v1");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", name).put("uid", uid).put("resourceVersion", Long.toString(rv))
                .put("creationTimestamp", createdAt);
        labels.forEach(meta.putObject("labels")::put);
        meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0")
                .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        node.putObject("spec").put("podCIDR", "10.244." + index + ".0/24").put("providerID",
                "aws:///" + ZONES[index % ZONES.length] + "/i-0sim" + index);
        ObjectNode status = node.putObject("status");
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", createdAt);
        condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", createdAt);
        condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", createdAt);
        boolean ready = fault != SimNode.Fault.NOT_READY;
        condition(conditions, "Ready", ready ? "True" : "Unknown", ready ? "KubeletReady" : "NodeStatusUnknown",
                createdAt);
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", ip);
        addresses.addObject().put("type", "Hostname").put("address", name);
        addresses.addObject().put("type", "InternalDNS").put("address",
                "ip-" + ip.replace('.', '-') + ".eu-west-1.compute.internal");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        status.putObject("nodeInfo").put("machineID", uid.replace("-", "")).put("systemUUID", uid)
                .put("bootID", uid).put("kernelVersion", SimNode.KERNEL).put("osImage", SimNode.OS_IMAGE)
                .put("containerRuntimeVersion", SimNode.RUNTIME).put("kubeletVersion", SimNode.KUBELET_VERSION)
                .put("kubeProxyVersion", SimNode.KUBELET_VERSION).put("operatingSystem", "linux")
                .put("architecture", "amd64");
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SimNode(name, uid, rv, created, ip, Map.copyOf(labels), fault, json);
    }

    private static void condition(ArrayNode conditions, String type, String status, String reason, String at) {
        conditions.addObject().put("type", type).put("status", status).put("reason", reason)
                .put("lastHeartbeatTime", at).put("lastTransitionTime", at);
    }
}
