package io.kubescrape.resolve;

import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.discovery.ServiceInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.EndpointsTarget;
import io.kubescrape.route.KubeNames;

/**
 * RESOLVE for a Service endpoint: the port is the URL's, else the Service's {@code prometheus.io/port} (a number:
 * discovery always publishes one); scheme and path are the Service's {@code prometheus.io/scheme} and
 * {@code prometheus.io/path}, else the cluster's defaults, under the same rules as a pod's.
 */
public final class ServiceEndpointResolver {
    private ServiceEndpointResolver() {
    }

    public static ScrapeEndpoint resolve(EndpointsTarget target, ServiceInfo service, ScrapeSettings settings) {
        String what = "Service " + target.namespace() + "/" + target.service();
        int port;
        if (target.port() != null) {
            port = target.port().number();
        } else {
            String annotated = service.annotation(PortResolver.PORT_ANNOTATION);
            try {
                port = annotated == null ? 0 : Integer.parseInt(annotated.trim());
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (!KubeNames.isPortNumber(port)) {
                throw new ScrapeException(ScrapeOutcome.UNRESOLVED_PORT, what + " (cluster " + target.cluster()
                        + "): add :<port> to the URL or annotate the Service with a numeric "
                        + PortResolver.PORT_ANNOTATION);
            }
        }
        return PortResolver.endpoint(service::annotation, port, settings, what, target.cluster(),
                ScrapeOutcome.UNRESOLVED_PORT);
    }
}
