package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.PemReader;
import io.kubescrape.cluster.UpstreamTls;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.InboundTls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;

/** The server TLS context for callers: kubescrape's certificate, TLS 1.2 or newer, client certificates if asked. */
final class InboundTlsContext {
    private InboundTlsContext() {
    }

    static SslContext build(InboundTls tls) throws ConfigException {
        try {
            X509Certificate[] chain = PemReader.certificates(Files.readAllBytes(tls.certFile()), tls.certFile().toString())
                    .toArray(X509Certificate[]::new);
            SslContextBuilder b = SslContextBuilder.forServer(PemReader.privateKey(Files.readAllBytes(tls.keyFile()),
                    tls.keyFile().toString()), chain).sslProvider(UpstreamTls.provider()).protocols(tls.protocols());
            if (tls.clientCaFile() != null) {
                b.trustManager(PemReader.certificates(Files.readAllBytes(tls.clientCaFile()),
                        tls.clientCaFile().toString()).toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException e) {
            throw new ConfigException("tls: " + e.getMessage());
        }
    }
}
