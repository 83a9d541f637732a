package io.kubescrape.sd;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.ClusterPods;
import io.kubescrape.discovery.EndpointSliceInfo;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.resolve.PortResolver;
import io.kubescrape.route.EndpointsTarget;
import io.kubescrape.route.KubeNames;
import io.kubescrape.route.PortRef;
import io.kubescrape.route.TargetRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes-service-endpoints} convention: every ready pod endpoint of a Service annotated
 * {@code prometheus.io/scrape: "true"} is a target (role {@code endpoints}) at the Service's
 * {@code prometheus.io/port}, or else at each of the slice's TCP ports. Its URL names the Service, the pod and the
 * port, so a scrape reaches that one pod at the Service's path, never the Service's round robin.
 */
final class EndpointTargets {
    private EndpointTargets() {
    }

    static List<ScrapeTarget> build(ClusterSpec spec, Collection<ServiceInfo> services,
                                    Collection<EndpointSliceInfo> slices, ClusterPods pods) {
        Map<String, ServiceInfo> scraped = new LinkedHashMap<>();
        for (ServiceInfo s : services) {
            if ("true".equals(s.annotation(TargetBuilder.SCRAPE_ANNOTATION)) && spec.scrape().scrapes(s.namespace())) {
                scraped.put(s.namespace() + "/" + s.name(), s);
            }
        }
        Map<String, ScrapeTarget> out = new LinkedHashMap<>(); // by path: a pod in two slices is one target
        for (EndpointSliceInfo slice : slices) {
            ServiceInfo service = slice.serviceName() == null ? null
                    : scraped.get(slice.namespace() + "/" + slice.serviceName());
            if (service == null) {
                continue;
            }
            List<Integer> ports = ports(service, slice);
            for (EndpointSliceInfo.Endpoint e : slice.endpoints()) {
                if (e.pod() == null || !e.ready() || !KubeNames.isDns1123Subdomain(e.pod())) {
                    continue;
                }
                PodInfo pod = pods == null ? null : pods.get(slice.namespace(), e.pod());
                for (int port : ports) {
                    ScrapeTarget t = target(spec, service, e, pod, port);
                    out.putIfAbsent(t.path(), t);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The Service's numeric {@code prometheus.io/port}, else every TCP port of the slice. */
    private static List<Integer> ports(ServiceInfo service, EndpointSliceInfo slice) {
        String annotated = service.annotation(PortResolver.PORT_ANNOTATION);
        if (annotated != null) {
            try {
                int port = Integer.parseInt(annotated.trim());
                if (KubeNames.isPortNumber(port)) {
                    return List.of(port);
                }
            } catch (NumberFormatException e) {
                // not a number: fall back to the slice's ports, as the reference configuration's relabelling does
            }
        }
        List<Integer> out = new ArrayList<>();
        for (EndpointSliceInfo.Port p : slice.ports()) {
            if (KubeNames.isPortNumber(p.port()) && (p.protocol() == null || p.protocol().equals("TCP"))) {
                out.add(p.port());
            }
        }
        return out;
    }

    private static ScrapeTarget target(ClusterSpec spec, ServiceInfo service, EndpointSliceInfo.Endpoint e,
                                       PodInfo pod, int port) {
        String path = new EndpointsTarget(spec.name(), service.namespace(), service.name(), e.pod(), PortRef.of(port))
                .path();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__metrics_path__", path);
        labels.put("cluster", spec.name());
        labels.put("namespace", service.namespace());
        labels.put("service", service.name());
        labels.put("pod", e.pod());
        labels.put("instance", pod == null ? e.pod() + ":" + port : TargetBuilder.instance(pod, port));
        ServiceIndex.label(labels, List.of(service));
        labels.put("__meta_kubescrape_endpoint_node_name", e.nodeName() == null ? "" : e.nodeName());
        labels.put("__meta_kubescrape_endpoint_ready", Boolean.toString(e.ready()));
        labels.put("__meta_kubescrape_endpoint_port", Integer.toString(port));
        labels.put("__meta_kubescrape_role", TargetRole.ENDPOINTS.tag());
        return new ScrapeTarget(TargetRole.ENDPOINTS, spec.name(), service.namespace(), e.pod(), null, path,
                TargetBuilder.json(labels), LabelNames.hash(path));
    }
}
