package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.route.KubeNames;
import java.io.IOException;

/** EndpointSlices (discovery.k8s.io/v1): which pods back each Service, and whether they are ready. */
public final class EndpointSliceKind implements ObjectKind<EndpointSliceInfo> {
    public static final EndpointSliceKind INSTANCE = new EndpointSliceKind();

    private EndpointSliceKind() {
    }

    @Override
    public String role() {
        return "endpointslice";
    }

    @Override
    public String collectionPath(String scope) {
        return scope.isEmpty() ? "/apis/discovery.k8s.io/v1/endpointslices"
                : "/apis/discovery.k8s.io/v1/namespaces/" + scope + "/endpointslices";
    }

    @Override
    public String listKind() {
        return "EndpointSliceList";
    }

    @Override
    public EndpointSliceInfo read(JsonParser p) throws IOException {
        return ServiceJson.readSlice(p);
    }


    @Override
    public String namespace(EndpointSliceInfo item) {
        return item.namespace();
    }

    @Override
    public String name(EndpointSliceInfo item) {
        return item.name();
    }

    @Override
    public String resourceVersion(EndpointSliceInfo item) {
        return item.resourceVersion();
    }

    @Override
    public String problem(EndpointSliceInfo item) {
        if (!KubeNames.isDns1123Label(item.namespace())) {
            return "invalid_namespace";
        }
        return KubeNames.isDns1123Subdomain(item.name()) ? null : "invalid_name";
    }


    @Override
    public String permission() {
        return "list and watch on endpointslices (discovery.k8s.io) in this namespace";
    }
}
