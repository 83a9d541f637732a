package io.kubescrape.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The Services and EndpointSlices of the simulated cluster, kept in step with its pods as a Deployment's would be:
 * one Service per app and namespace ({@code selector: {app: <app>}}), and with {@code --service-groups} one more per
 * {@code tier} label value and namespace ({@code svc-<k>}, selecting {@code tier: t-<k>}); each created with its first
 * pod and kept, with one EndpointSlice listing its pods, rewritten (MODIFIED) whenever a pod of it comes or goes.
 */
final class SimServices {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore<SimPod> pods;
    private final ObjectStore<SimService> services;
    private final ObjectStore<SimEndpointSlice> slices;
    /** Each Service's pods by key, kept as pods come and go, so a change costs its own Service, not the cluster. */
    private final Map<String, Map<String, SimPod>> members = new HashMap<>();

    /** A Service's identity: its name and the one label its selector asks for. */
    private record Group(String namespace, String name, String labelKey, String labelValue) {
        String key() {
            return namespace + "/" + name;
        }
    }

    /**
     * Builds every Service and EndpointSlice for the pods there are (once, so a big cluster starts without rewriting
     * each slice per pod), then follows the pods.
     */
    SimServices(ObjectStore<SimPod> pods, ObjectStore<SimService> services, ObjectStore<SimEndpointSlice> slices) {
        this.pods = pods;
        this.services = services;
        this.slices = slices;
        Map<Group, Boolean> touched = new LinkedHashMap<>();
        for (SimPod p : pods.all()) {
            for (Group g : groups(p)) {
                members.computeIfAbsent(g.key(), k -> new TreeMap<>()).put(p.key(), p);
                touched.put(g, true);
            }
        }
        touched.keySet().forEach(this::publish);
        pods.onChange(this::changed);
    }

    private static List<Group> groups(SimPod pod) {
        List<Group> out = new ArrayList<>(2);
        String app = pod.labels().get("app");
        if (app != null && !PodFactory.servicePorts(app).isEmpty()) {
            out.add(new Group(pod.namespace(), app, "app", app));
        }
        String tier = pod.labels().get("tier");
        if (tier != null && tier.startsWith("t-")) {
            out.add(new Group(pod.namespace(), "svc-" + tier.substring(2), "tier", tier));
        }
        return out;
    }

    /** A pod was added, replaced or deleted (called under the pod store's lock, which serializes these calls). */
    private void changed(SimPod pod) {
        boolean present = pods.get(pod.namespace(), pod.name()) != null;
        for (Group g : groups(pod)) {
            Map<String, SimPod> of = members.computeIfAbsent(g.key(), k -> new TreeMap<>());
            if (present) {
                of.put(pod.key(), pod);
            } else {
                of.remove(pod.key());
            }
            publish(g);
        }
    }

    private void publish(Group g) {
        Map<String, SimPod> of = members.getOrDefault(g.key(), Map.of());
        if (services.get(g.namespace(), g.name()) == null) {
            if (of.isEmpty()) {
                return;
            }
            services.add(service(g, services.nextResourceVersion()));
        }
        slices.add(slice(g, List.copyOf(of.values()), slices.nextResourceVersion()));
    }

    /** The app's ports for its Service; a tier Service's pods are of several apps, so it names the usual 9100. */
    private static List<PodFactory.NamedPort> ports(Group g) {
        return g.labelKey().equals("app") ? PodFactory.servicePorts(g.name())
                : List.of(new PodFactory.NamedPort("metrics", 9100));
    }

    private static SimService service(Group g, long rv) {
        String ns = g.namespace();
        String app = g.name();
        long created = System.currentTimeMillis();
        String uid = UUID.nameUUIDFromBytes(("service/" + ns + "/" + app).getBytes(StandardCharsets.UTF_8)).toString();
        String clusterIp = "10.96." + (Math.abs(uid.hashCode()) % 250) + "." + (Math.abs(app.hashCode()) % 250 + 2);
        ObjectNode svc = JSON.createObjectNode().put("kind", "Service").put("apiVersion", "v1");
        ObjectNode meta = svc.putObject("metadata").put("name", app).put("namespace", ns).put("uid", uid)
                .put("resourceVersion", Long.toString(rv)).put("creationTimestamp", timestamp(created));
        meta.putObject("labels").put("app", app);
        ObjectNode annotations = meta.putObject("annotations");
        if (g.labelKey().equals("app")) {
            PodFactory.serviceAnnotations(app).forEach(annotations::put);
        }
        ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP").put("clusterIP", clusterIp);
        spec.putObject("selector").put(g.labelKey(), g.labelValue());
        ArrayNode ports = spec.putArray("ports");
        for (PodFactory.NamedPort p : ports(g)) {
            ports.addObject().put("name", p.name()).put("port", p.port()).put("targetPort", p.port())
                    .put("protocol", "TCP");
        }
        return new SimService(ns, app, uid, rv, created, Map.of("app", app), clusterIp, portList(g), bytes(svc));
    }

    private static SimEndpointSlice slice(Group g, List<SimPod> members, long rv) {
        String ns = g.namespace();
        String app = g.name();
        long created = System.currentTimeMillis();
        String name = app + "-" + UUID.nameUUIDFromBytes((ns + "/" + app).getBytes(StandardCharsets.UTF_8))
                .toString().substring(0, 5);
        String uid = UUID.nameUUIDFromBytes(("slice/" + ns + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        ObjectNode slice = JSON.createObjectNode().put("kind", "EndpointSlice").put("apiVersion", "discovery.k8s.io/v1");
        ObjectNode meta = slice.putObject("metadata").put("name", name).put("namespace", ns).put("uid", uid)
                .put("resourceVersion", Long.toString(rv)).put("creationTimestamp", timestamp(created));
        Map<String, String> labels = Map.of("kubernetes.io/service-name", app,
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        labels.forEach(meta.putObject("labels")::put);
        slice.put("addressType", "IPv4");
        ArrayNode endpoints = slice.putArray("endpoints");
        for (SimPod p : members) {
            ObjectNode e = endpoints.addObject();
            e.putArray("addresses").add(p.ip());
            e.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
            e.put("nodeName", p.node());
            e.putObject("targetRef").put("kind", "Pod").put("namespace", p.namespace()).put("name", p.name())
                    .put("uid", p.uid());
        }
        ArrayNode ports = slice.putArray("ports");
        for (PodFactory.NamedPort p : ports(g)) {
            ports.addObject().put("name", p.name()).put("port", p.port()).put("protocol", "TCP");
        }
        String shown = members.isEmpty() ? "<unset>" : members.stream().limit(3).map(SimPod::ip)
                .collect(Collectors.joining(",")) + (members.size() > 3 ? " + " + (members.size() - 3) + " more..." : "");
        return new SimEndpointSlice(ns, name, uid, rv, created, labels, ports(g).stream()
                .map(p -> Integer.toString(p.port())).collect(Collectors.joining(",")), shown, bytes(slice));
    }

    private static String portList(Group g) {
        return ports(g).stream().map(p -> p.port() + "/TCP").collect(Collectors.joining(","));
    }

    private static String timestamp(long millis) {
        return Instant.ofEpochMilli(millis).toString().replaceAll("\\.\\d+Z$", "Z");
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
