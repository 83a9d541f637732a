package io.kubescrape.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Collects one cluster's fields as a config file or kubeconfig states them (paths relative to that file, base64
 * {@code -data} fields) and turns them into a {@link ClusterSpec}, reading the files and checking every rule.
 */
public final class ClusterSpecBuilder {
    private final String origin;
    private final Path baseDir;
    private final boolean snakeCaseKeys;
    String name;
    String server;
    String certificateAuthority;
    String certificateAuthorityData;
    boolean insecureSkipTlsVerify;
    String tlsServerName;
    String token;
    ExecSpec exec;
    String tokenFile;
    String clientCertificate;
    String clientCertificateData;
    String clientKey;
    String clientKeyData;
    ScrapeSettings scrape;
    UpstreamSettings upstream;
    DiscoverySettings discovery;

    /** @param origin how messages name where this cluster came from; @param baseDir for relative paths */
    public ClusterSpecBuilder(String origin, Path baseDir, boolean snakeCaseKeys) {
        this.origin = origin;
        this.baseDir = baseDir;
        this.snakeCaseKeys = snakeCaseKeys;
    }

    /** A key as the source file spells it: kubeconfig's kebab-case or the config file's snake_case. */
    private String key(String kebab) {
        return snakeCaseKeys ? kebab.replace('-', '_') : kebab;
    }

    public ClusterSpec build(ScrapeSettings scrapeDefaults, UpstreamSettings upstreamDefaults,
                             DiscoverySettings discoveryDefaults) throws ConfigException {
        try {
            URI uri = serverUri();
            PemMaterial ca = pem(key("certificate-authority"), certificateAuthority, certificateAuthorityData);
            PemMaterial cert = pem(key("client-certificate"), clientCertificate, clientCertificateData);
            PemMaterial clientKeyPem = pem(key("client-key"), clientKey, clientKeyData);
            TlsSettings tls = new TlsSettings(ca, insecureSkipTlsVerify, emptyToNull(tlsServerName), cert, clientKeyPem);
            ExecSpec execSpec = exec == null || !exec.command().contains("/") || Path.of(exec.command()).isAbsolute()
                    ? exec : new ExecSpec(exec.apiVersion(), resolve(exec.command()).toString(), exec.args(),
                    exec.env(), exec.interactiveMode()); // relative to the kubeconfig, as client-go does
            CredentialSpec credential = new CredentialSpec(emptyToNull(token),
                    emptyToNull(tokenFile) == null ? null : resolve(tokenFile), execSpec);
            if (credential.tokenFile() != null && !Files.isReadable(credential.tokenFile())) {
                throw new IllegalArgumentException("token file " + credential.tokenFile() + " is not readable");
            }
            ScrapeSettings s = orEmpty(scrape).orElse(scrapeDefaults).orElse(ScrapeSettings.BUILTIN);
            UpstreamSettings u = orEmpty(upstream).orElse(upstreamDefaults).orElse(UpstreamSettings.BUILTIN);
            DiscoverySettings d = (discovery != null ? discovery : new DiscoverySettings(null, null, null, null, null,
                    null, null)).orElse(discoveryDefaults).orElse(DiscoverySettings.BUILTIN);
            return new ClusterSpec(name, uri, origin, tls, credential, s, u, d);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(origin + ": " + e.getMessage());
        }
    }

    private URI serverUri() {
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("server is missing");
        }
        URI uri;
        try {
            uri = new URI(server.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("server \"" + server + "\" is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("server \"" + server + "\" must be an https:// (or http://) URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("server \"" + server + "\" must not carry user info, query or fragment");
        }
        return uri;
    }

    private PemMaterial pem(String key, String file, String data) {
        String dataKey = key + key("-data");
        if (emptyToNull(file) != null && emptyToNull(data) != null) {
            throw new IllegalArgumentException("set " + key + " or " + dataKey + ", not both");
        }
        if (emptyToNull(data) != null) {
            try {
                byte[] bytes = Base64.getMimeDecoder().decode(data.trim());
                return checked(new PemMaterial(origin + " " + dataKey, null, bytes), dataKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(dataKey + " is not valid base64");
            }
        }
        if (emptyToNull(file) != null) {
            Path path = resolve(file);
            try {
                return checked(new PemMaterial("file " + path, path, Files.readAllBytes(path)), key + " " + path);
            } catch (IOException e) {
                throw new IllegalArgumentException(key + " " + path + " cannot be read: " + e.getMessage());
            }
        }
        return null;
    }

    private static PemMaterial checked(PemMaterial m, String what) {
        if (!new String(m.pem(), StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
            throw new IllegalArgumentException(what + " holds no PEM block");
        }
        return m;
    }

    private Path resolve(String file) {
        String expanded = file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file;
        Path p = Path.of(expanded);
        return (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).normalize();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static ScrapeSettings orEmpty(ScrapeSettings s) {
        return s != null ? s : new ScrapeSettings(null, null, null, null, null);
    }

    private static UpstreamSettings orEmpty(UpstreamSettings u) {
        return u != null ? u : new UpstreamSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
