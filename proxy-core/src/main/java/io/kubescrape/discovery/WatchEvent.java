package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One line of a watch stream. ADDED, MODIFIED and DELETED carry an object; BOOKMARK only a resourceVersion; ERROR
 * a Status (code 410 means the version is too old: relist).
 */
public record WatchEvent<T>(String type, T item, String resourceVersion, int errorCode, String errorMessage) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    public boolean isError() {
        return "ERROR".equals(type);
    }

    public static <T> WatchEvent<T> parse(byte[] line, ObjectKind<T> kind) throws IOException {
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a watch event must be a JSON object");
            }
            String type = null;
            JsonNode early = null;
            WatchEvent<T> event = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("type")) {
                    type = p.getValueAsString();
                } else if (field.equals("object") && type != null) {
                    event = object(type, p, kind);
                } else if (field.equals("object")) {
                    early = p.readValueAsTree(); // the rare stream that sends object before type
                } else {
                    p.skipChildren();
                }
            }
            if (type == null) {
                throw new IOException("a watch event without a type");
            }
            if (event == null && early != null) {
                try (JsonParser tp = early.traverse(JSON)) {
                    tp.nextToken();
                    event = object(type, tp, kind);
                }
            }
            if (event == null) {
                throw new IOException("a " + type + " watch event without an object");
            }
            return event;
        }
    }

    private static <T> WatchEvent<T> object(String type, JsonParser p, ObjectKind<T> kind) throws IOException {
        switch (type) {
            case "ADDED", "MODIFIED", "DELETED" -> {
                T item = kind.read(p);
                return new WatchEvent<>(type, item, kind.resourceVersion(item), 0, null);
            }
            case "BOOKMARK" -> {
                JsonNode n = p.readValueAsTree();
                return new WatchEvent<>(type, null, n.path("metadata").path("resourceVersion").asText(null), 0, null);
            }
            case "ERROR" -> {
                JsonNode n = p.readValueAsTree();
                return new WatchEvent<>(type, null, null, n.path("code").asInt(0), n.path("message").asText(""));
            }
            default -> throw new IOException("unknown watch event type " + type);
        }
    }
}
