package io.kubescrape.config;

import java.nio.file.Path;

/**
 * TLS for callers: kubescrape's certificate and key (PEM), the lowest protocol version accepted, and optionally a
 * CA whose client certificates callers must present (mTLS).
 */
public record InboundTls(Path certFile, Path keyFile, Path clientCaFile, String minVersion) {
    public InboundTls {
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("tls needs cert_file and key_file");
        }
        if (minVersion != null && !minVersion.equals("TLS12") && !minVersion.equals("TLS13")) {
            throw new IllegalArgumentException("tls min_version must be TLS12 or TLS13");
        }
    }

    public String[] protocols() {
        return "TLS13".equals(minVersion) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
    }
}
