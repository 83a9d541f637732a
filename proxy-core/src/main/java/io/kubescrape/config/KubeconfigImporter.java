package io.kubescrape.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubescrape.route.KubeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns each context of a kubeconfig into a cluster named after the context. A context kubescrape cannot use
 * (an exec plugin or auth provider, a missing cluster or user) is skipped with a warning, unless it was asked
 * for by name, in which case it is an error.
 */
public final class KubeconfigImporter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubeconfigImporter() {
    }

    public static List<ClusterSpec> importFile(Path file, List<String> onlyContexts, ScrapeSettings scrapeDefaults,
                                               UpstreamSettings upstreamDefaults, DiscoverySettings discoveryDefaults,
                                               List<String> warnings)
            throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("kubeconfig " + file + ": cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("kubeconfig " + file + ": is not a YAML mapping");
        }
        Path baseDir = file.toAbsolutePath().getParent();
        List<ClusterSpec> clusters = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode ctx : root.path("contexts")) {
            String contextName = ctx.path("name").asText("");
            if (onlyContexts != null && !onlyContexts.contains(contextName)) {
                continue;
            }
            seen.add(contextName);
            String origin = "kubeconfig " + file + " context \"" + contextName + "\"";
            try {
                clusters.add(fromContext(root, ctx, origin, baseDir, warnings)
                        .build(scrapeDefaults, upstreamDefaults, discoveryDefaults));
            } catch (ConfigException | UnsupportedContext e) {
                if (onlyContexts != null) {
                    throw new ConfigException(e.getMessage());
                }
                warnings.add("skipped " + e.getMessage());
            }
        }
        if (onlyContexts != null) {
            for (String wanted : onlyContexts) {
                if (!seen.contains(wanted)) {
                    throw new ConfigException("kubeconfig " + file + ": has no context \"" + wanted + "\"");
                }
            }
        }
        return clusters;
    }

    private static ClusterSpecBuilder fromContext(JsonNode root, JsonNode ctx, String origin, Path baseDir,
                                                  List<String> warnings) throws UnsupportedContext {
        String contextName = ctx.path("name").asText("");
        String clusterRef = ctx.path("context").path("cluster").asText("");
        String userRef = ctx.path("context").path("user").asText("");
        JsonNode cluster = named(root.path("clusters"), clusterRef).path("cluster");
        if (cluster.isMissingNode()) {
            throw new UnsupportedContext(origin + ": names cluster \"" + clusterRef + "\", which is not defined");
        }
        JsonNode user = named(root.path("users"), userRef).path("user");
        if (!userRef.isEmpty() && user.isMissingNode()) {
            throw new UnsupportedContext(origin + ": names user \"" + userRef + "\", which is not defined");
        }

        if (user.has("auth-provider")) {
            throw new UnsupportedContext(origin + ": uses an auth-provider, which kubescrape does not support");
        }
        if (user.has("username") || user.has("password")) {
            throw new UnsupportedContext(origin + ": uses basic auth, which kubescrape does not support");
        }
        if (cluster.has("proxy-url")) {
            warnings.add(origin + ": proxy-url is ignored; kubescrape connects to the server directly");
        }
        String name = KubeNames.toClusterName(contextName);
        if (!name.equals(contextName)) {
            warnings.add(origin + ": cluster is named \"" + name + "\" (the context name does not fit in a URL path)");
        }
        ClusterSpecBuilder b = new ClusterSpecBuilder(origin, baseDir, false);
        b.name = name;
        b.server = text(cluster, "server");
        b.certificateAuthority = text(cluster, "certificate-authority");
        b.certificateAuthorityData = text(cluster, "certificate-authority-data");
        b.insecureSkipTlsVerify = cluster.path("insecure-skip-tls-verify").asBoolean(false);
        b.tlsServerName = text(cluster, "tls-server-name");
        b.token = text(user, "token");
        b.tokenFile = text(user, "tokenFile");
        b.clientCertificate = text(user, "client-certificate");
        b.clientCertificateData = text(user, "client-certificate-data");
        b.clientKey = text(user, "client-key");
        b.clientKeyData = text(user, "client-key-data");
        if (user.has("exec")) {
            b.exec = exec(user.get("exec"), origin);
        }
        return b;
    }

    private static ExecSpec exec(JsonNode e, String origin) throws UnsupportedContext {
        List<String> args = new ArrayList<>();
        e.path("args").forEach(a -> args.add(a.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        e.path("env").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        try {
            return new ExecSpec(text(e, "apiVersion"), text(e, "command"), args, env, text(e, "interactiveMode"));
        } catch (IllegalArgumentException ex) {
            throw new UnsupportedContext(origin + ": " + ex.getMessage());
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("name").asText("").equals(name)) {
                return item;
            }
        }
        return MissingNode.getInstance();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A context that kubescrape cannot turn into a cluster. */
    private static final class UnsupportedContext extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedContext(String message) {
            super(message, null, false, false);
        }
    }
}
