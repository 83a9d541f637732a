package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import io.kubescrape.route.KubeNames;
import java.io.IOException;

/** Services: namespaced, in the namespaces pod discovery covers; their selectors say which pods they select. */
public final class ServiceKind implements ObjectKind<ServiceInfo> {
    public static final ServiceKind INSTANCE = new ServiceKind();

    private ServiceKind() {
    }

    @Override
    public String role() {
        return "service";
    }

    @Override
    public String collectionPath(String scope) {
        return scope.isEmpty() ? "/api/v1/services" : "/api/v1/namespaces/" + scope + "/services";
    }

    @Override
    public String listKind() {
        return "ServiceList";
    }

    @Override
    public ServiceInfo read(JsonParser p) throws IOException {
        return ServiceJson.readService(p);
    }


    @Override
    public String namespace(ServiceInfo item) {
        return item.namespace();
    }

    @Override
    public String name(ServiceInfo item) {
        return item.name();
    }

    @Override
    public String resourceVersion(ServiceInfo item) {
        return item.resourceVersion();
    }

    @Override
    public String problem(ServiceInfo item) {
        if (!KubeNames.isDns1123Label(item.namespace())) {
            return "invalid_namespace";
        }
        return KubeNames.isDns1123Label(item.name()) ? null : "invalid_name";
    }


    @Override
    public String permission() {
        return "list and watch on services in this namespace";
    }
}
