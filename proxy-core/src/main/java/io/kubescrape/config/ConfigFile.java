package io.kubescrape.config;

import java.util.List;

/** The YAML config file as written (snake_case keys, unknown keys rejected); see docs/configuration.md. */
record ConfigFile(String listen, Integer ioThreads, String externalAddress, String fileSd, DownstreamLimits limits,
                  TlsEntry tls, List<CallerEntry> callers,
                  List<KubeconfigRef> kubeconfigs, ClusterDefaults clusterDefaults, List<ClusterEntry> clusters,
                  List<String> allowedHosts, AggregateSettings.Entry aggregate) {

    /** Inbound TLS as written; paths relative to the config file. */
    record TlsEntry(String certFile, String keyFile, String clientCaFile, String minVersion) {
    }

    /** A caller as written; see {@link CallerSpec}. */
    record CallerEntry(String name, String bearerTokenFile, String username, String passwordHash, String clientCn,
                       List<CallerSpec.AllowRule> allow, List<String> grants) {
    }

    /** A kubeconfig to import; {@code contexts} limits which contexts become clusters (default: all). */
    record KubeconfigRef(String path, List<String> contexts) {
        KubeconfigRef {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("path is required");
            }
        }
    }

    /** Settings every cluster starts from, including clusters imported from kubeconfigs. */
    record ClusterDefaults(ScrapeSettings scrape, UpstreamSettings upstream, DiscoverySettings discovery) {
    }

    /** A cluster stated directly in the config file. */
    record ClusterEntry(String name, String server, String certificateAuthority, String certificateAuthorityData,
                        Boolean insecureSkipTlsVerify, String tlsServerName, String token, String tokenFile,
                        String clientCertificate, String clientCertificateData, String clientKey,
                        String clientKeyData, ScrapeSettings scrape, UpstreamSettings upstream,
                        DiscoverySettings discovery) {

        @Override
        public String toString() {
            return "cluster " + name;
        }
    }
}
