package io.kubescrape.config;

/**
 * How kubescrape verifies an API server and presents itself to it. {@code ca} null means the JVM's trust store;
 * {@code serverName} overrides the name checked against the server certificate (kubeconfig's tls-server-name).
 */
public record TlsSettings(PemMaterial ca, boolean insecureSkipVerify, String serverName,
                          PemMaterial clientCertificate, PemMaterial clientKey) {

    public TlsSettings {
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key needs its certificate");
        }
    }

    public boolean mutual() {
        return clientCertificate != null;
    }
}
