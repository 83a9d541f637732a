package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a v1 Pod with Jackson's streaming API, keeping only {@link PodInfo}'s fields; everything else in the
 * (often 10 KB+) object is skipped without building a tree.
 */
public final class PodJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private PodJson() {
    }

    public static PodInfo read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a Pod must be a JSON object");
            }
            return readPod(p);
        }
    }

    /** Reads one Pod object; the parser stands on its START_OBJECT and ends on its END_OBJECT. */
    public static PodInfo readPod(JsonParser p) throws IOException {
        Builder b = new Builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> {
                    b.kind = p.getValueAsString();
                    if (!"Pod".equals(b.kind)) {
                        throw new IOException("expected kind Pod, got " + b.kind);
                    }
                }
                case "metadata" -> readMetadata(p, b);
                case "spec" -> readSpec(p, b);
                case "status" -> readStatus(p, b);
                default -> p.skipChildren();
            }
        }
        if (b.name == null || b.namespace == null) {
            throw new IOException("the Pod has no metadata.name or metadata.namespace");
        }
        return new PodInfo(b.namespace, b.name, b.resourceVersion, b.labels, b.annotations, b.ports, b.phase,
                b.podIp, b.nodeName, b.ready);
    }

    private static void readMetadata(JsonParser p, Builder b) throws IOException {
        ObjectJson.expectObject(p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> b.name = p.getValueAsString();
                case "namespace" -> b.namespace = p.getValueAsString();
                case "resourceVersion" -> b.resourceVersion = p.getValueAsString();
                case "labels" -> ObjectJson.readStringMap(p, b.labels);
                case "annotations" -> ObjectJson.readStringMap(p, b.annotations);
                default -> p.skipChildren();
            }
        }
    }

    private static void readSpec(JsonParser p, Builder b) throws IOException {
        ObjectJson.expectObject(p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("containers") && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    readContainer(p, b);
                }
            } else if (field.equals("nodeName")) {
                b.nodeName = p.getValueAsString();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readContainer(JsonParser p, Builder b) throws IOException {
        String container = null;
        List<ContainerPort> ports = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("name")) {
                container = p.getValueAsString();
            } else if (field.equals("ports") && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String name = null;
                    String protocol = "TCP";
                    int number = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "name" -> name = p.getValueAsString();
                            case "containerPort" -> number = p.getValueAsInt();
                            case "protocol" -> protocol = p.getValueAsString();
                            default -> p.skipChildren();
                        }
                    }
                    ports.add(new ContainerPort(null, name, number, protocol));
                }
            } else {
                p.skipChildren();
            }
        }
        for (ContainerPort port : ports) {
            b.ports.add(new ContainerPort(container, port.name(), port.number(), port.protocol()));
        }
    }

    private static void readStatus(JsonParser p, Builder b) throws IOException {
        ObjectJson.expectObject(p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "phase" -> b.phase = p.getValueAsString();
                case "podIP" -> b.podIp = p.getValueAsString();
                case "conditions" -> readConditions(p, b);
                default -> p.skipChildren();
            }
        }
    }

    private static void readConditions(JsonParser p, Builder b) throws IOException {
        b.ready = ObjectJson.readReady(p);
    }

    private static final class Builder {
        String kind;
        String name;
        String namespace;
        String resourceVersion;
        final Map<String, String> labels = new HashMap<>();
        final Map<String, String> annotations = new HashMap<>();
        final List<ContainerPort> ports = new ArrayList<>();
        String phase;
        String podIp;
        String nodeName;
        boolean ready;
    }
}
