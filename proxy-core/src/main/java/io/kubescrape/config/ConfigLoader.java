package io.kubescrape.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads the YAML config file and the kubeconfigs it or the command line names into one validated
 * {@link ProxyConfig}. Every problem is reported as "file: key: reason", with the line where known.
 */
public final class ConfigLoader {
    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                if (!p.currentToken().isScalarValue() || p.currentToken().isNumeric()) {
                    throw JsonMappingException.from(p, "expected a duration with a unit, like 30s or 500ms");
                }
                try {
                    return Durations.parse(p.getText());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /**
     * @param configFile     the YAML config, or null
     * @param kubeconfigs    kubeconfigs from the command line (all contexts of each)
     * @param listenOverride --listen, or null
     */
    public ProxyConfig load(Path configFile, List<Path> kubeconfigs, String listenOverride) throws ConfigException {
        ConfigFile file = configFile == null ? new ConfigFile(null, null, null, null, null, null, null, null, null, null, null,
                null)
                : read(configFile);
        List<String> warnings = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<ClusterSpec> clusters = new ArrayList<>();
        ScrapeSettings scrapeDefaults = file.clusterDefaults() == null ? null : file.clusterDefaults().scrape();
        UpstreamSettings upstreamDefaults = file.clusterDefaults() == null ? null : file.clusterDefaults().upstream();
        DiscoverySettings discoveryDefaults = file.clusterDefaults() == null ? null
                : file.clusterDefaults().discovery();
        if (configFile != null) {
            sources.add("config " + configFile);
            Path base = configFile.toAbsolutePath().getParent();
            List<ConfigFile.ClusterEntry> entries = file.clusters() == null ? List.of() : file.clusters();
            for (int i = 0; i < entries.size(); i++) {
                clusters.add(fromEntry(entries.get(i), configFile + ": clusters[" + i + "]", base)
                        .build(scrapeDefaults, upstreamDefaults, discoveryDefaults));
            }
            if (file.kubeconfigs() != null) {
                for (ConfigFile.KubeconfigRef ref : file.kubeconfigs()) {
                    Path p = base.resolve(expandHome(ref.path())).normalize();
                    sources.add("kubeconfig " + p);
                    clusters.addAll(KubeconfigImporter.importFile(p, ref.contexts(), scrapeDefaults,
                            upstreamDefaults, discoveryDefaults, warnings));
                }
            }
        }
        for (Path k : kubeconfigs) {
            sources.add("kubeconfig " + k);
            clusters.addAll(KubeconfigImporter.importFile(k, null, scrapeDefaults, upstreamDefaults,
                    discoveryDefaults, warnings));
        }
        Set<String> names = new HashSet<>();
        for (ClusterSpec c : clusters) {
            if (!names.add(c.name())) {
                throw new ConfigException(c.origin() + ": cluster name \"" + c.name() + "\" is used twice");
            }
            if (!c.tlsEnabled() && c.credential().present()) {
                warnings.add(c.origin() + ": server " + c.server() + " is plain http; the bearer token travels in clear");
            }
            if (c.tls().insecureSkipVerify()) {
                warnings.add("INSECURE: " + c.origin() + ": insecure-skip-tls-verify is set; the API server's "
                        + "certificate is NOT verified and anyone on the path can read the credentials");
            }
        }
        if (clusters.isEmpty()) {
            throw new ConfigException("no usable cluster in " + String.join(", ", sources)
                    + (warnings.isEmpty() ? "" : " (" + String.join("; ", warnings) + ")"));
        }
        ListenAddress listen = ProxyConfig.DEFAULT_LISTEN;
        try {
            if (listenOverride != null) {
                listen = ListenAddress.parse(listenOverride);
            } else if (file.listen() != null) {
                listen = ListenAddress.parse(file.listen());
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException((listenOverride != null ? "--listen" : configFile + ": listen") + ": "
                    + e.getMessage());
        }
        int ioThreads = file.ioThreads() == null ? 0 : file.ioThreads();
        if (ioThreads < 0 || ioThreads > 256) {
            throw new ConfigException(configFile + ": io_threads: must be 0 (one per core) to 256");
        }
        Path fileSd = file.fileSd() == null ? null
                : configFile.toAbsolutePath().getParent().resolve(expandHome(file.fileSd())).normalize();
        ProxyConfig.checkExternalAddress(file.externalAddress());
        ProxyConfig.checkFileSd(fileSd);
        DownstreamLimits limits = (file.limits() == null ? DownstreamLimits.BUILTIN : file.limits()).orBuiltin();
        InboundTls tls = null;
        List<CallerSpec> callers = new ArrayList<>();
        try {
            Path base = configFile == null ? null : configFile.toAbsolutePath().getParent();
            if (file.tls() != null) {
                ConfigFile.TlsEntry t = file.tls();
                tls = new InboundTls(readable(base, t.certFile(), "tls.cert_file"), readable(base, t.keyFile(),
                        "tls.key_file"), t.clientCaFile() == null ? null : readable(base, t.clientCaFile(),
                        "tls.client_ca_file"), t.minVersion());
            }
            if (file.callers() != null) {
                for (ConfigFile.CallerEntry c : file.callers()) {
                    callers.add(new CallerSpec(c.name(), c.bearerTokenFile() == null ? null
                            : readable(base, c.bearerTokenFile(), "callers[" + c.name() + "].bearer_token_file"),
                            c.username(), c.passwordHash(), c.clientCn(), c.allow(), c.grants()));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configFile + ": " + e.getMessage());
        }
        List<String> allowedHosts = file.allowedHosts() == null ? List.of() : file.allowedHosts();
        ProxyConfig.checkAllowedHosts(allowedHosts);
        AggregateSettings aggregate;
        try {
            aggregate = file.aggregate() == null ? AggregateSettings.BUILTIN : file.aggregate().settings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configFile + ": " + e.getMessage());
        }
        return new ProxyConfig(listen, ioThreads, file.externalAddress(), fileSd, limits, tls, callers, clusters,
                warnings, sources, allowedHosts, aggregate);
    }

    private ConfigFile read(Path configFile) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configFile);
        } catch (IOException e) {
            throw new ConfigException(configFile + ": cannot be read: " + e.getMessage());
        }
        try {
            ConfigFile file = yaml.readValue(bytes, ConfigFile.class);
            if (file == null) {
                throw new ConfigException(configFile + ": is empty");
            }
            return file;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw new ConfigException(configFile + ": not valid YAML: " + firstLine(syntax.getOriginalMessage())
                        + at(syntax.getLocation()));
            }
            throw new ConfigException(configFile + ": " + describe(e, new String(bytes,
                    StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            throw new ConfigException(configFile + ": not valid YAML: " + e.getOriginalMessage()
                    + at(e.getLocation()));
        } catch (IOException e) {
            throw new ConfigException(configFile + ": cannot be read: " + e.getMessage());
        }
    }

    private static String describe(JsonMappingException e, String source) {
        StringBuilder key = new StringBuilder();
        String lastField = null;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                key.append(key.length() == 0 ? "" : ".").append(ref.getFieldName());
                lastField = ref.getFieldName();
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        String reason;
        if (e instanceof UnrecognizedPropertyException u) {
            reason = "unknown key \"" + u.getPropertyName() + "\"; known keys: " + u.getKnownPropertyIds();
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            reason = e.getCause().getMessage();
        } else {
            reason = firstLine(e.getOriginalMessage());
        }
        return (key.length() == 0 ? "" : key + ": ") + reason + lineOf(source, lastField);
    }

    /**
     * The line of a key, found in the text: Jackson's own location lies past the whole record when records are
     * built, so it cannot be shown. Only an unambiguous match is reported.
     */
    static String lineOf(String source, String field) {
        if (field == null) {
            return "";
        }
        Pattern keyLine = Pattern.compile(
                "^[\\s-]*" + Pattern.quote(field) + "\\s*:");
        String[] lines = source.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++) {
            if (keyLine.matcher(lines[i]).find() || lines[i].matches(".*[{,]\\s*" + Pattern.quote(field)
                    + "\\s*:.*")) {
                if (found >= 0) {
                    return "";
                }
                found = i;
            }
        }
        return found < 0 ? "" : " (line " + (found + 1) + ")";
    }

    private static String firstLine(String s) {
        int cut = s == null ? -1 : s.indexOf('\n');
        return cut > 0 ? s.substring(0, cut) : String.valueOf(s);
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ")";
    }

    private static ClusterSpecBuilder fromEntry(ConfigFile.ClusterEntry e, String origin, Path base) {
        ClusterSpecBuilder b = new ClusterSpecBuilder(origin + (e.name() == null ? "" : " (" + e.name() + ")"),
                base, true);
        b.name = e.name();
        b.server = e.server();
        b.certificateAuthority = e.certificateAuthority();
        b.certificateAuthorityData = e.certificateAuthorityData();
        b.insecureSkipTlsVerify = Boolean.TRUE.equals(e.insecureSkipTlsVerify());
        b.tlsServerName = e.tlsServerName();
        b.token = e.token();
        b.tokenFile = e.tokenFile();
        b.clientCertificate = e.clientCertificate();
        b.clientCertificateData = e.clientCertificateData();
        b.clientKey = e.clientKey();
        b.clientKeyData = e.clientKeyData();
        b.scrape = e.scrape();
        b.upstream = e.upstream();
        b.discovery = e.discovery();
        return b;
    }

    private static Path readable(Path base, String file, String key) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        Path p = base.resolve(expandHome(file)).normalize();
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(key + ": " + p + " is not readable");
        }
        return p;
    }

    static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }
}
