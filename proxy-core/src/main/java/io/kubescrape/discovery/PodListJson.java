package io.kubescrape.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads one page of a PodList with the streaming API: its items, resourceVersion and continue token. */
public final class PodListJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A page; {@code continueToken} is null on the last one. */
    public record Page(List<PodInfo> items, String resourceVersion, String continueToken) {
    }

    private PodListJson() {
    }

    public static Page read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a PodList must be a JSON object");
            }
            List<PodInfo> items = new ArrayList<>();
            String rv = null;
            String cont = null;
            String kind = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "kind" -> kind = p.getValueAsString();
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
                                items.add(PodJson.readPod(p));
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (kind != null && !kind.equals("PodList")) {
                throw new IOException("expected kind PodList, got " + kind);
            }
            if (rv == null) {
                throw new IOException("the PodList has no metadata.resourceVersion");
            }
            return new Page(items, rv, cont == null || cont.isEmpty() ? null : cont);
        }
    }
}
