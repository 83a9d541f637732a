package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads a v1 Node with Jackson's streaming API, keeping only {@link NodeInfo}'s fields. */
final class NodeJson {
    private NodeJson() {
    }

    /** Reads one Node object; the parser stands on its START_OBJECT and ends on its END_OBJECT. */
    static NodeInfo readNode(JsonParser p) throws IOException {
        ObjectJson.Metadata meta = new ObjectJson.Metadata();
        Map<String, String> addresses = new HashMap<>();
        boolean ready = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "kind" -> {
                    if (!"Node".equals(p.getValueAsString())) {
                        throw new IOException("expected kind Node, got " + p.getValueAsString());
                    }
                }
                case "metadata" -> meta.read(p);
                case "status" -> {
                    ObjectJson.expectObject(p);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "conditions" -> ready = ObjectJson.readReady(p);
                            case "addresses" -> readAddresses(p, addresses);
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (meta.name == null) {
            throw new IOException("the Node has no metadata.name");
        }
        return new NodeInfo(meta.name, meta.resourceVersion, meta.labels, meta.annotations, addresses, ready);
    }

    private static void readAddresses(JsonParser p, Map<String, String> into) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            String address = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("type")) {
                    type = p.getValueAsString();
                } else if (f.equals("address")) {
                    address = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
            if (type != null && address != null) {
                into.putIfAbsent(type, address);
            }
        }
    }
}
