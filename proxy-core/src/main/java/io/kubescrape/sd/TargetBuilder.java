package io.kubescrape.sd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.resolve.PortResolver;
import io.kubescrape.route.PortRef;
import io.kubescrape.route.PodTarget;
import io.kubescrape.route.TargetRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a cluster's discovered pods into targets. A running pod is taken when annotated
 * {@code prometheus.io/scrape: "true"} (mode annotated) or when it has a metrics port (mode all). Its metrics
 * ports are the annotation's port and every container port named {@code metrics} (or the cluster's port name) or
 * ending in {@code -metrics}; each becomes a target. The URL carries {@code :port} only where RESOLVE, given the
 * bare pod URL, would not pick that same port.
 */
public final class TargetBuilder {
    static final String SCRAPE_ANNOTATION = "prometheus.io/scrape";
    private static final String META = "__meta_kubescrape_pod_";
    private static final JsonFactory JSON = new JsonFactory();

    private TargetBuilder() {
    }

    public static List<ScrapeTarget> build(ClusterSpec spec, Iterable<PodInfo> pods) {
        return build(spec, pods, ServiceIndex.EMPTY);
    }

    /** As above; each target also names the Services that select its pod ({@link ServiceIndex#label}). */
    static List<ScrapeTarget> build(ClusterSpec spec, Iterable<PodInfo> pods, ServiceIndex services) {
        List<ScrapeTarget> out = new ArrayList<>();
        for (PodInfo pod : pods) {
            List<ContainerPort> ports = metricsPorts(spec, pod);
            if (whyNot(spec, pod, ports) != null) {
                continue;
            }
            Integer bare = resolvedWithoutPort(spec, pod);
            List<ServiceInfo> selecting = services.selecting(pod);
            if (ports.isEmpty()) {
                // RESOLVE decides (the cluster's default port), or says why not
                out.add(target(spec, pod, null, false, bare, selecting));
                continue;
            }
            for (ContainerPort port : ports) {
                boolean explicit = ports.size() > 1 || bare == null || bare != port.number();
                out.add(target(spec, pod, port, explicit, port.number(), selecting));
            }
        }
        return out;
    }

    /**
     * Why the pod is not a target, in words for an operator (the browse page shows it), or null when it is one.
     */
    public static String whyNot(ClusterSpec spec, PodInfo pod) {
        return whyNot(spec, pod, metricsPorts(spec, pod));
    }

    private static String whyNot(ClusterSpec spec, PodInfo pod, List<ContainerPort> ports) {
        if (!"Running".equals(pod.phase())) {
            return "not running (phase " + pod.phase() + ")";
        }
        if (!spec.scrape().scrapes(pod.namespace())) {
            return "namespace closed by scrape.namespaces";
        }
        if (spec.discovery().annotatedOnly() && !"true".equals(pod.annotation(SCRAPE_ANNOTATION))) {
            return "no " + SCRAPE_ANNOTATION + ": \"true\" annotation";
        }
        if (!spec.discovery().annotatedOnly() && ports.isEmpty()) {
            return "no metrics port (none named metrics, *-metrics or scrape.port_name, none annotated)";
        }
        return null;
    }

    /** The pod's metrics ports, distinct by number, in a stable order. */
    static List<ContainerPort> metricsPorts(ClusterSpec spec, PodInfo pod) {
        Map<Integer, ContainerPort> byNumber = new LinkedHashMap<>();
        String annotated = pod.annotation(PortResolver.PORT_ANNOTATION);
        if (annotated != null && !annotated.isBlank()) {
            try {
                PortRef ref = PortRef.parse(annotated.trim());
                ContainerPort p = ref.isNamed() ? pod.portNamed(ref.name()) : declared(pod, ref.number());
                if (p != null) {
                    byNumber.put(p.number(), p);
                } else if (!ref.isNamed()) {
                    byNumber.put(ref.number(), new ContainerPort(null, null, ref.number(), "TCP"));
                }
            } catch (IllegalArgumentException e) {
                // A malformed annotation: the bare target below lets RESOLVE report it on every scrape.
            }
        }
        for (ContainerPort p : pod.ports()) {
            String name = p.name();
            if (name != null && (name.equals(spec.scrape().portName()) || name.equals("metrics")
                    || name.endsWith("-metrics")) && (p.protocol() == null || p.protocol().equals("TCP"))) {
                byNumber.putIfAbsent(p.number(), p);
            }
        }
        return new ArrayList<>(byNumber.values());
    }

    private static ContainerPort declared(PodInfo pod, int number) {
        for (ContainerPort p : pod.ports()) {
            if (p.number() == number) {
                return p;
            }
        }
        return null;
    }

    private static Integer resolvedWithoutPort(ClusterSpec spec, PodInfo pod) {
        try {
            PodTarget t = new PodTarget(spec.name(), pod.namespace(), pod.name(), null);
            return PortResolver.resolve(t, pod, spec.scrape()).port();
        } catch (ScrapeException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What the target's {@code instance} label names: the pod's IP and the port scraped, as in-cluster
     * {@code kubernetes_sd} would have it, so series and dashboards keyed by instance tell pods apart (the address
     * Prometheus connects to is kubescrape's, the same for every target). Without an IP (never for a running pod
     * of a conforming API server) the pod's name stands in; without a known port, the IP alone.
     */
    static String instance(PodInfo pod, Integer port) {
        String host = pod.podIp() == null || pod.podIp().isEmpty() ? pod.name()
                : pod.podIp().indexOf(':') >= 0 ? "[" + pod.podIp() + "]" : pod.podIp();
        return port == null ? host : host + ":" + port;
    }

    private static ScrapeTarget target(ClusterSpec spec, PodInfo pod, ContainerPort port, boolean explicit,
                                       Integer scrapedPort, List<ServiceInfo> services) {
        PortRef ref = !explicit ? null : port.name() != null ? PortRef.named(port.name()) : PortRef.of(port.number());
        String path = new PodTarget(spec.name(), pod.namespace(), pod.name(), ref).path();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__metrics_path__", path);
        labels.put("cluster", spec.name());
        labels.put("namespace", pod.namespace());
        labels.put("pod", pod.name());
        labels.put("instance", instance(pod, scrapedPort));
        pod.labels().forEach((k, v) -> labels.put(META + "label_" + LabelNames.sanitize(k), v));
        pod.annotations().forEach((k, v) -> labels.put(META + "annotation_" + LabelNames.sanitize(k), v));
        labels.put(META + "node_name", pod.nodeName() == null ? "" : pod.nodeName());
        labels.put(META + "ready", Boolean.toString(pod.ready()));
        labels.put(META + "phase", pod.phase());
        labels.put(META + "ip", pod.podIp() == null ? "" : pod.podIp());
        if (port != null) {
            labels.put(META + "container_port_name", port.name() == null ? "" : port.name());
            labels.put(META + "container_port_number", Integer.toString(port.number()));
            labels.put(META + "container_name", port.container() == null ? "" : port.container());
        }
        ServiceIndex.label(labels, services);
        labels.put("__meta_kubescrape_role", TargetRole.POD.tag());
        return new ScrapeTarget(TargetRole.POD, spec.name(), pod.namespace(), pod.name(), null, path, json(labels),
                LabelNames.hash(path));
    }

    static byte[] json(Map<String, String> labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(labels.size() * 48);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : labels.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
