package io.kubescrape.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM certificates and private keys as kubeconfigs carry them: RSA and EC keys, in PKCS#1
 * ("RSA PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") form. BouncyCastle does the parsing.
 */
public final class PemReader {
    private PemReader() {
    }

    public static List<X509Certificate> certificates(byte[] pem, String origin) throws IOException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IOException(origin + " holds no certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException(origin + " is not a valid PEM certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(byte[] pem, String origin) throws IOException {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    // SEC1 keys may omit the public key; the private part is all TLS needs.
                    return pair.getPublicKeyInfo() == null ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                            : converter.getKeyPair(pair).getPrivate();
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                // EC PARAMETERS blocks precede SEC1 keys; skip them and anything else that is not a key.
            }
            throw new IOException(origin + " holds no unencrypted RSA or EC private key");
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(origin) ? e
                    : new IOException(origin + " is not a readable private key: " + e.getMessage(), e);
        }
    }
}
