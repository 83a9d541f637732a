package io.kubescrape.config;

import io.kubescrape.route.KubeNames;
import java.net.URI;

/**
 * One cluster, fully resolved and validated: where its API server is, how to trust and authenticate to it,
 * and its scrape and upstream settings with every default applied.
 */
public record ClusterSpec(String name, URI server, String origin, TlsSettings tls, CredentialSpec credential,
                          ScrapeSettings scrape, UpstreamSettings upstream, DiscoverySettings discovery) {

    public ClusterSpec {
        if (!KubeNames.isClusterName(name)) {
            throw new IllegalArgumentException("cluster name \"" + name
                    + "\" must be 1-63 of letters, digits, '.', '_', '@' and '-', starting with a letter or digit");
        }
        if (server.getHost() == null) {
            throw new IllegalArgumentException("server " + server + " has no host");
        }
    }

    public boolean tlsEnabled() {
        return server.getScheme().equals("https");
    }

    public int port() {
        return server.getPort() > 0 ? server.getPort() : tlsEnabled() ? 443 : 80;
    }

    /** The server URL's path without a trailing slash ("" for most servers; Rancher-style proxies have one). */
    public String pathPrefix() {
        String p = server.getRawPath();
        return p == null || p.equals("/") ? "" : p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The Host header value. */
    public String authority() {
        return server.getRawAuthority();
    }
}
