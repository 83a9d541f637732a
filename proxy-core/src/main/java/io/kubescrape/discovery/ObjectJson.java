package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Pieces every kind's streaming reader shares: string maps (labels, annotations), the Ready condition. */
final class ObjectJson {
    private ObjectJson() {
    }

    /** Reads a JSON object of strings into {@code into}; anything else in its place is skipped. */
    static void readStringMap(JsonParser p, Map<String, String> into) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            String value = p.getValueAsString();
            if (value != null) {
                into.put(key, value);
            } else {
                p.skipChildren();
            }
        }
    }

    /** Reads a {@code status.conditions} array: whether its Ready condition is "True". */
    static boolean readReady(JsonParser p) throws IOException {
        boolean ready = false;
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return false;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            String status = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("type")) {
                    type = p.getValueAsString();
                } else if (f.equals("status")) {
                    status = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
            if ("Ready".equals(type)) {
                ready = "True".equals(status);
            }
        }
        return ready;
    }

    /** The metadata every kind shares (name, namespace, resourceVersion, labels, annotations), read into fields. */
    static final class Metadata {
        String name;
        String namespace;
        String resourceVersion;
        final Map<String, String> labels = new HashMap<>();
        final Map<String, String> annotations = new HashMap<>();

        void read(JsonParser p) throws IOException {
            ObjectJson.expectObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "name" -> name = p.getValueAsString();
                    case "namespace" -> namespace = p.getValueAsString();
                    case "resourceVersion" -> resourceVersion = p.getValueAsString();
                    case "labels" -> ObjectJson.readStringMap(p, labels);
                    case "annotations" -> ObjectJson.readStringMap(p, annotations);
                    default -> p.skipChildren();
                }
            }
        }

        void require(String kind) throws IOException {
            if (name == null || namespace == null) {
                throw new IOException("the " + kind + " has no metadata.name or metadata.namespace");
            }
        }
    }

    static void expectObject(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected an object at " + p.currentLocation());
        }
    }
}
