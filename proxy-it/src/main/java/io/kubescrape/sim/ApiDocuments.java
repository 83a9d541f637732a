package io.kubescrape.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The fixed documents of the simulated API server (version, discovery) and the ones built per request:
 * {@code Status} errors and the server-side {@code Table} that {@code kubectl get} asks for.
 */
final class ApiDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A current minor: gcloud's kubectl dispatcher reads /version to pick its client. */
    static final byte[] VERSION = utf8("{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.4-kube-sim\","
            + "\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
            + "\"buildDate\":\"2026-11-01T00:00:00Z\",\"goVersion\":\"go1.23.6\",\"compiler\":\"gc\","
            + "\"platform\":\"linux/amd64\"}");
    static final byte[] API_VERSIONS = utf8("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
            + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:6443\"}]}");
    static final byte[] API_GROUPS = utf8("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":"
            + "\"discovery.k8s.io\",\"versions\":[{\"groupVersion\":\"discovery.k8s.io/v1\",\"version\":\"v1\"}],"
            + "\"preferredVersion\":{\"groupVersion\":\"discovery.k8s.io/v1\",\"version\":\"v1\"}}]}");
    static final byte[] DISCOVERY_RESOURCES = utf8("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
            + "\"groupVersion\":\"discovery.k8s.io/v1\",\"resources\":[{\"name\":\"endpointslices\","
            + "\"singularName\":\"endpointslice\",\"namespaced\":true,\"kind\":\"EndpointSlice\","
            + "\"verbs\":[\"get\",\"list\",\"watch\"]}]}");
    static final byte[] CORE_RESOURCES = utf8("{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
            + "{\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,\"kind\":\"Namespace\","
            + "\"verbs\":[\"get\",\"list\"],\"shortNames\":[\"ns\"]},"
            + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
            + "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"po\"],\"categories\":[\"all\"]},"
            + "{\"name\":\"pods/proxy\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodProxyOptions\","
            + "\"verbs\":[\"create\",\"delete\",\"get\",\"patch\",\"update\"]},"
            + "{\"name\":\"services\",\"singularName\":\"service\",\"namespaced\":true,\"kind\":\"Service\","
            + "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"svc\"],\"categories\":[\"all\"]},"
            + "{\"name\":\"nodes\",\"singularName\":\"node\",\"namespaced\":false,\"kind\":\"Node\","
            + "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"no\"]},"
            + "{\"name\":\"nodes/proxy\",\"singularName\":\"\",\"namespaced\":false,\"kind\":\"NodeProxyOptions\","
            + "\"verbs\":[\"create\",\"delete\",\"get\",\"patch\",\"update\"]}]}");

    private ApiDocuments() {
    }

    static byte[] status(int code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return bytes(s);
    }

    /** The API server's 404 for a missing object: {@code nodes "x" not found}. */
    static byte[] notFound(SimKind kind, String name) {
        ObjectNode s = (ObjectNode) tree(status(404, "NotFound", kind.resource() + " \"" + name + "\" not found"));
        s.putObject("details").put("name", name).put("kind", kind.resource());
        return bytes(s);
    }

    /** A Table with kubectl's columns for the kind; rows carry the partial metadata kubectl reads the namespace from. */
    static byte[] table(SimKind kind, List<? extends SimObject> items, long resourceVersion, String continueToken,
                        boolean withColumns) {
        ObjectNode t = JSON.createObjectNode();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        if (withColumns) {
            ArrayNode cols = t.putArray("columnDefinitions");
            for (SimKind.Column c : kind.columns()) {
                column(cols, c.name(), "string", c.priority());
            }
        }
        ArrayNode rows = t.putArray("rows");
        long now = System.currentTimeMillis();
        for (SimObject p : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            p.cells(now).forEach(cells::add);
            ObjectNode obj = row.putObject("object");
            obj.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            ObjectNode rowMeta = obj.putObject("metadata").put("name", p.name());
            if (!p.namespace().isEmpty()) {
                rowMeta.put("namespace", p.namespace());
            }
            rowMeta.put("uid", p.uid()).put("resourceVersion", Long.toString(p.resourceVersion()));
        }
        return bytes(t);
    }

    private static void column(ArrayNode cols, String name, String type, int priority) {
        cols.addObject().put("name", name).put("type", type).put("format", name.equals("Name") ? "name" : "")
                .put("description", name).put("priority", priority);
    }

    static String age(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toMinutes() < 2) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 2) {
            return d.toMinutes() + "m";
        }
        return d.toHours() + "h";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
