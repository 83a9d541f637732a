package io.kubescrape.resolve;

import io.kubescrape.route.PortRef;
import io.kubescrape.route.MetricsPath;
import io.kubescrape.route.PodTarget;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.util.function.Function;

/**
 * RESOLVE: where on the pod a scrape goes. Port, in order: the URL's port, the {@code prometheus.io/port}
 * annotation, the container port named as configured ("metrics"), the cluster's default port. Names become
 * numbers here because the API server does not resolve them. Scheme and path come from the
 * {@code prometheus.io/scheme} and {@code prometheus.io/path} annotations, else the cluster's defaults.
 */
public final class PortResolver {
    public static final String PORT_ANNOTATION = "prometheus.io/port";
    public static final String PATH_ANNOTATION = "prometheus.io/path";
    public static final String SCHEME_ANNOTATION = "prometheus.io/scheme";

    private PortResolver() {
    }

    public static ScrapeEndpoint resolve(PodTarget target, PodInfo pod, ScrapeSettings settings) {
        int port = port(target, pod, settings);
        return endpoint(pod::annotation, port, settings, "pod " + target.namespace() + "/" + target.pod(),
                target.cluster(), ScrapeOutcome.UNRESOLVED_PORT);
    }

    /**
     * The scheme and path that {@code annotation} (a pod's or a Service's {@code prometheus.io/*}) name, else the
     * cluster's defaults, held to the metrics-path rules and the cluster's allowed paths.
     *
     * @param what how errors name the annotated object ("pod web/web-0", "Service web/api")
     */
    static ScrapeEndpoint endpoint(Function<String, String> annotation, int port, ScrapeSettings settings, String what,
                                   String cluster, ScrapeOutcome badAnnotation) {
        String scheme = annotation.apply(SCHEME_ANNOTATION);
        if (scheme == null || scheme.isBlank()) {
            scheme = settings.scheme();
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ScrapeException(badAnnotation, what + " (cluster " + cluster + "): annotation "
                    + SCHEME_ANNOTATION + "=\"" + scheme + "\" must be http or https");
        }
        String path = annotation.apply(PATH_ANNOTATION);
        if (path == null || path.isBlank()) {
            path = settings.path();
        } else if (MetricsPath.problem(path) != null) {
            throw new ScrapeException(badAnnotation, what + " (cluster " + cluster + "): annotation "
                    + PATH_ANNOTATION + "=\"" + path + "\" " + MetricsPath.problem(path));
        }
        if (!MetricsPath.allowed(path, settings.allowedPaths())) {
            throw new ScrapeException(ScrapeOutcome.INVALID_TARGET, "metrics path \"" + path + "\" of " + what
                    + " is outside allowed_paths " + settings.allowedPaths() + " of cluster " + cluster);
        }
        return new ScrapeEndpoint(scheme, port, path);
    }

    private static int port(PodTarget target, PodInfo pod, ScrapeSettings settings) {
        if (target.port() != null) {
            return byRef(target, pod, target.port(), "the URL's port");
        }
        String annotated = pod.annotation(PORT_ANNOTATION);
        if (annotated != null && !annotated.isBlank()) {
            PortRef ref;
            try {
                ref = PortRef.parse(annotated.trim());
            } catch (IllegalArgumentException e) {
                throw unresolved(target, "annotation " + PORT_ANNOTATION + "=\"" + annotated + "\": "
                        + e.getMessage());
            }
            return byRef(target, pod, ref, "annotation " + PORT_ANNOTATION);
        }
        ContainerPort named = pod.portNamed(settings.portName());
        if (named != null) {
            return named.number();
        }
        if (settings.port() != null) {
            return settings.port();
        }
        throw unresolved(target, "add :<port> to the URL, annotate the pod with " + PORT_ANNOTATION
                + ", name a container port \"" + settings.portName() + "\", or set the cluster's scrape.port");
    }

    private static int byRef(PodTarget target, PodInfo pod, PortRef ref, String what) {
        if (!ref.isNamed()) {
            return ref.number();
        }
        ContainerPort p = pod.portNamed(ref.name());
        if (p == null) {
            throw unresolved(target, what + " names port \"" + ref.name() + "\", which no container declares");
        }
        return p.number();
    }

    private static ScrapeException unresolved(PodTarget target, String why) {
        return new ScrapeException(ScrapeOutcome.UNRESOLVED_PORT, "pod " + target.namespace() + "/" + target.pod()
                + " (cluster " + target.cluster() + "): " + why);
    }
}
