package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads one page of a list (PodList, NodeList, …) with the streaming API: its items, resourceVersion and continue token. */
public final class ListJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A page; {@code continueToken} is null on the last one. */
    public record Page<T>(List<T> items, String resourceVersion, String continueToken) {
    }

    private ListJson() {
    }

    public static <T> Page<T> read(InputStream in, ObjectKind<T> kind) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a " + kind.listKind() + " must be a JSON object");
            }
            List<T> items = new ArrayList<>();
            String rv = null;
            String cont = null;
            String listKind = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "kind" -> listKind = p.getValueAsString();
                    case "metadata" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("resourceVersion")) {
                                rv = p.getValueAsString();
                            } else if (f.equals("continue")) {
                                cont = p.getValueAsString();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    case "items" -> {
                        if (p.currentToken() == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                items.add(kind.read(p));
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (listKind != null && !listKind.equals(kind.listKind())) {
                throw new IOException("expected kind " + kind.listKind() + ", got " + listKind);
            }
            if (rv == null) {
                throw new IOException("the " + kind.listKind() + " has no metadata.resourceVersion");
            }
            return new Page<>(items, rv, cont == null || cont.isEmpty() ? null : cont);
        }
    }
}
