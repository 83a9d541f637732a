package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads v1 Services and discovery.k8s.io/v1 EndpointSlices with Jackson's streaming API, keeping what targets need. */
final class ServiceJson {
    private ServiceJson() {
    }

    static ServiceInfo readService(JsonParser p) throws IOException {
        ObjectJson.Metadata meta = new ObjectJson.Metadata();
        Map<String, String> selector = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> expectKind(p, "Service");
                case "metadata" -> meta.read(p);
                case "spec" -> {
                    ObjectJson.expectObject(p);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("selector")) {
                            ObjectJson.readStringMap(p, selector);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        meta.require("Service");
        return new ServiceInfo(meta.namespace, meta.name, meta.resourceVersion, meta.labels, meta.annotations,
                selector);
    }

    static EndpointSliceInfo readSlice(JsonParser p) throws IOException {
        ObjectJson.Metadata meta = new ObjectJson.Metadata();
        List<EndpointSliceInfo.Port> ports = new ArrayList<>();
        List<EndpointSliceInfo.Endpoint> endpoints = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> expectKind(p, "EndpointSlice");
                case "metadata" -> meta.read(p);
                case "ports" -> readPorts(p, ports);
                case "endpoints" -> readEndpoints(p, endpoints);
                default -> p.skipChildren();
            }
        }
        meta.require("EndpointSlice");
        return new EndpointSliceInfo(meta.namespace, meta.name, meta.resourceVersion,
                meta.labels.get("kubernetes.io/service-name"), ports, endpoints);
    }

    private static void readPorts(JsonParser p, List<EndpointSliceInfo.Port> into) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren(); // "ports": null is how a slice of a headless Service without ports says none
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            int port = 0;
            String protocol = "TCP";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "name" -> name = p.getValueAsString();
                    case "port" -> port = p.getValueAsInt();
                    case "protocol" -> protocol = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            into.add(new EndpointSliceInfo.Port(name == null || name.isEmpty() ? null : name, port, protocol));
        }
    }

    private static void readEndpoints(JsonParser p, List<EndpointSliceInfo.Endpoint> into) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String pod = null;
            String node = null;
            boolean ready = true; // an absent "ready" condition means ready (discovery.k8s.io/v1)
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "nodeName" -> node = p.getValueAsString();
                    case "conditions" -> {
                        Map<String, String> c = new HashMap<>();
                        ObjectJson.readStringMap(p, c);
                        ready = !"false".equals(c.get("ready"));
                    }
                    case "targetRef" -> {
                        Map<String, String> ref = new HashMap<>();
                        ObjectJson.readStringMap(p, ref);
                        pod = "Pod".equals(ref.get("kind")) ? ref.get("name") : null;
                    }
                    default -> p.skipChildren();
                }
            }
            into.add(new EndpointSliceInfo.Endpoint(pod, ready, node));
        }
    }

    private static void expectKind(JsonParser p, String kind) throws IOException {
        if (!kind.equals(p.getValueAsString())) {
            throw new IOException("expected kind " + kind + ", got " + p.getValueAsString());
        }
    }
}
