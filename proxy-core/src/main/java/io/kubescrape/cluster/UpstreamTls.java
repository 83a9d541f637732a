package io.kubescrape.cluster;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.TlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the client TLS context for one cluster: the cluster's CA (or the JVM trust store), hostname
 * verification, and the client certificate for mTLS. OpenSSL (BoringSSL) when it loads, else the JDK's engine.
 */
public final class UpstreamTls {
    private UpstreamTls() {
    }

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext clientContext(ClusterSpec spec) throws ConfigException {
        TlsSettings tls = spec.tls();
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(provider())
                    .protocols("TLSv1.3", "TLSv1.2");
            if (spec.upstream().http2()) {
                // Offer h2 only: a server that cannot speak it is named in the error, not silently downgraded.
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2));
            } else if (spec.upstream().auto()) {
                // Both, h2 first, as kubectl and Go clients offer them: the server's pick decides the pool.
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            }
            if (tls.insecureSkipVerify()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                b.endpointIdentificationAlgorithm("HTTPS");
                if (tls.ca() != null) {
                    List<X509Certificate> ca = PemReader.certificates(tls.ca().pem(), tls.ca().origin());
                    b.trustManager(ca.toArray(X509Certificate[]::new));
                }
            }
            if (tls.mutual()) {
                List<X509Certificate> chain = PemReader.certificates(tls.clientCertificate().pem(),
                        tls.clientCertificate().origin());
                PrivateKey key = PemReader.privateKey(tls.clientKey().pem(), tls.clientKey().origin());
                b.keyManager(key, chain.toArray(X509Certificate[]::new));
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(spec.origin() + ": cannot build the TLS context: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(spec.origin() + ": " + e.getMessage());
        }
    }
}
