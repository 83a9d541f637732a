package io.kubescrape.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Makes realistic v1 Pods. Five app shapes cover what RESOLVE must handle: a numeric port annotation, a named
 * port annotation, a custom path, no annotations but a port named "metrics", and an https endpoint. Names are
 * predictable (web-0, api-0, …) so configs and tests can name pods without listing them first.
 */
final class PodFactory {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One app shape: its ports (the first is the metrics port), annotations and metrics path. */
    private record Shape(String app, int metricsPort, String portName, String annotationPort, String path,
                         String scheme, int otherPort, String otherName) {
    }

    private static final Shape[] SHAPES = {
        new Shape("web", 9100, "metrics", "9100", "/metrics", null, 8080, "http"),
        new Shape("api", 9102, "http-metrics", "http-metrics", "/metrics", null, 8080, "http"),
        new Shape("worker", 9100, "metrics", "9100", "/stats/metrics", null, 8081, "admin"),
        new Shape("cache", 9121, "metrics", null, "/metrics", null, 6379, "redis"),
        new Shape("auth", 8443, "https", "8443", "/metrics", "https", 8081, "health"),
    };

    private PodFactory() {
    }

    /** A container port as a Service and its EndpointSlice name it. */
    record NamedPort(String name, int port) {
    }

    /**
     * The ports of an app's pods, metrics first, for its Service. The Services of {@code api} and {@code worker}
     * follow the {@code kubernetes-service-endpoints} convention (annotated to be scraped, worker at its own path);
     * the others are not annotated.
     */
    static List<NamedPort> servicePorts(String app) {
        for (Shape s : SHAPES) {
            if (s.app.equals(app)) {
                return List.of(new NamedPort(s.portName, s.metricsPort), new NamedPort(s.otherName, s.otherPort));
            }
        }
        return List.of();
    }

    /** The {@code prometheus.io/*} annotations of an app's Service (none for most). */
    static Map<String, String> serviceAnnotations(String app) {
        return switch (app) {
            case "api" -> Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9102");
            case "worker" -> Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9100",
                    "prometheus.io/path", "/stats/metrics");
            default -> Map.of();
        };
    }

    /** The i-th regular pod: app SHAPES[i % 5], ordinal i / 5, spread over the namespaces and the nodes. */
    static SimPod regular(int i, List<String> namespaces, int nodes, long resourceVersion) {
        return regular(i, namespaces, nodes, resourceVersion, Map.of());
    }

    /** As above, with extra labels (tests use this to send text no real API server would allow). */
    static SimPod regular(int i, List<String> namespaces, int nodes, long resourceVersion, Map<String, String> extra) {
        Shape s = SHAPES[i % SHAPES.length];
        String name = s.app + "-" + (i / SHAPES.length);
        String ns = namespaces.get((i / SHAPES.length) % namespaces.size());
        return build(ns, name, s, i, nodes, resourceVersion, SimPod.Fault.NONE, extra);
    }

    /** The fault pods, in namespace "faults": one per way a pod can fail a scrape. */
    static List<SimPod> faults(int nodes, long firstResourceVersion) {
        List<SimPod> pods = new ArrayList<>();
        String[] names = {"slow-0", "reset-length-0", "reset-chunked-0", "error-500-0"};
        SimPod.Fault[] kinds = {SimPod.Fault.SLOW, SimPod.Fault.RESET_LENGTH, SimPod.Fault.RESET_CHUNKED,
            SimPod.Fault.ERROR_500};
        for (int k = 0; k < names.length; k++) {
            pods.add(build("faults", names[k], SHAPES[0], 10_000 + k, nodes, firstResourceVersion + k, kinds[k],
                    Map.of()));
        }
        return pods;
    }

    /**
     * The pods an aggregate of namespace "agg" meets: two ordinary ones, and one per way a body can differ — a TYPE
     * that disagrees with the others', a line that does not parse, OpenMetrics with exemplars, gzip whether asked
     * for or not, and a slow one.
     */
    static List<SimPod> aggregateFixtures(int nodes, LongSupplier versions) {
        List<SimPod> pods = new ArrayList<>();
        String[] names = {"plain-0", "plain-1", "conflict-0", "malformed-0", "openmetrics-0", "gzip-only-0", "slow-0"};
        SimPod.Fault[] kinds = {SimPod.Fault.NONE, SimPod.Fault.NONE, SimPod.Fault.TYPE_CONFLICT,
            SimPod.Fault.MALFORMED, SimPod.Fault.OPENMETRICS, SimPod.Fault.GZIP_ONLY, SimPod.Fault.SLOW};
        for (int k = 0; k < names.length; k++) {
            pods.add(build("agg", names[k], SHAPES[0], 20_000 + k, nodes, versions.getAsLong(), kinds[k], Map.of()));
        }
        return pods;
    }

    /**
     * A pod named as no conforming API server allows (for tests of what kubescrape does with a faulty one): shaped
     * like regular pod {@code i}, with the given namespace and name.
     */
    static SimPod misnamed(int i, String ns, String name, int nodes, long resourceVersion) {
        return build(ns, name, SHAPES[i % SHAPES.length], i, nodes, resourceVersion, SimPod.Fault.NONE, Map.of());
    }

    private static SimPod build(String ns, String name, Shape s, int ordinal, int nodes, long rv, SimPod.Fault fault,
                                Map<String, String> extraLabels) {
        String uid = UUID.nameUUIDFromBytes((ns + "/" + name + "/" + rv).getBytes(StandardCharsets.UTF_8)).toString();
        int nodeIndex = ordinal % nodes + 1;
        int onNode = ordinal / nodes; // 250 addresses per /24, then the next second octet
        String ip = "10." + (244 + onNode / 250) + "." + (nodeIndex % 256) + "." + (onNode % 250 + 2);
        long created = System.currentTimeMillis();
        ObjectNode pod = JSON.createObjectNode();
        pod.put("kind", "Pod").put("apiVersion", "v1");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name).put("namespace", ns).put("uid", uid).put("resourceVersion", Long.toString(rv))
                .put("creationTimestamp", Instant.ofEpochMilli(created).toString().replaceAll("\\.\\d+Z$", "Z"));
        ObjectNode labelNode = meta.putObject("labels").put("app", s.app).put("sim.kubescrape.io/fault",
                fault == SimPod.Fault.NONE ? "none" : fault.name().toLowerCase().replace('_', '-'));
        extraLabels.forEach(labelNode::put);
        ObjectNode ann = meta.putObject("annotations");
        if (s.annotationPort != null) {
            ann.put("prometheus.io/scrape", "true").put("prometheus.io/port", s.annotationPort)
                    .put("prometheus.io/path", s.path);
            if (s.scheme != null) {
                ann.put("prometheus.io/scheme", s.scheme);
            }
        }
        ObjectNode spec = pod.putObject("spec");
        ArrayNode containers = spec.putArray("containers");
        ObjectNode c = containers.addObject().put("name", s.app).put("image", "registry.local/sim/" + s.app + ":1.0");
        ArrayNode ports = c.putArray("ports");
        ports.addObject().put("name", s.portName).put("containerPort", s.metricsPort).put("protocol", "TCP");
        ports.addObject().put("name", s.otherName).put("containerPort", s.otherPort).put("protocol", "TCP");
        spec.put("nodeName", NodeFactory.name(nodeIndex)).put("restartPolicy", "Always").put("serviceAccountName", "default");
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Running").put("podIP", ip).put("hostIP", NodeFactory.internalIp(nodeIndex))
                .put("startTime", meta.get("creationTimestamp").asText());
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[] {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            conditions.addObject().put("type", type).put("status", "True");
        }
        status.putArray("containerStatuses").addObject().put("name", s.app).put("ready", true).put("restartCount", 0)
                .put("image", "registry.local/sim/" + s.app + ":1.0").putObject("state").putObject("running")
                .put("startedAt", meta.get("creationTimestamp").asText());
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(pod);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> labels = new HashMap<>();
        meta.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new SimPod(ns, name, uid, rv, created, ip, NodeFactory.name(nodeIndex), Map.copyOf(labels),
                List.of(s.metricsPort, s.otherPort), s.path, fault, json);
    }
}
