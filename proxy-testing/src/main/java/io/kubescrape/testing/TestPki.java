package io.kubescrape.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A throw-away certificate authority for tests: server and client certificates, PEM in every key form. */
public final class TestPki {
    /** Key algorithms a kubeconfig may carry. */
    public enum KeyType { RSA, EC }

    /** How a private key is written: PKCS#1/SEC1 ("traditional") or PKCS#8. */
    public enum KeyFormat { TRADITIONAL, PKCS8 }

    /** A certificate with its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem(KeyFormat format) {
            try {
                if (format == KeyFormat.PKCS8) {
                    return pem(new JcaPKCS8Generator(key, null).generate());
                }
                return key.getAlgorithm().equals("EC") ? sec1Pem() : pem(key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** SEC1 as openssl writes it: curve OID and public key included (BouncyCastle's writer omits both). */
        private String sec1Pem() throws IOException {
            PrivateKeyInfo info =
                    PrivateKeyInfo.getInstance(key.getEncoded());
            SubjectPublicKeyInfo pub =
                    SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
            ECPrivateKey ec = (ECPrivateKey) key;
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey( // two ECPrivateKey types
                    ec.getParams().getOrder().bitLength(), ec.getS(), pub.getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }

        /** A PKCS#12 key store holding this key and certificate (password "changeit"), for WireMock and the JDK. */
        public Path writeKeyStore(Path file) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, PASSWORD.toCharArray(), new X509Certificate[] {certificate});
            try (var out = Files.newOutputStream(file)) {
                ks.store(out, PASSWORD.toCharArray());
            }
            return file;
        }
    }

    public static final String PASSWORD = "changeit";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;

    public TestPki(String name) {
        try {
            KeyPair kp = keyPair(KeyType.EC);
            X500Name subject = new X500Name("CN=" + name);
            JcaX509v3CertificateBuilder b = builder(subject, subject, kp);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = new Issued(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    /**
     * The CA kept in {@code dir} (ca.crt, ca.key), created there first if absent, so a simulator restarted
     * with the same folder keeps the kubeconfigs it wrote valid.
     */
    public static TestPki inDirectory(Path dir, String name) throws IOException {
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(cert) && Files.exists(key)) {
            try {
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
                PrivateKey k = readKey(Files.readString(key), key);
                return new TestPki(new Issued(c, k));
            } catch (CertificateException e) {
                throw new IOException(cert + ": " + e.getMessage(), e);
            }
        }
        TestPki pki = new TestPki(name);
        Files.createDirectories(dir);
        Files.writeString(cert, pki.caPem());
        Files.writeString(key, pki.ca.keyPem(KeyFormat.PKCS8));
        return pki;
    }

    /** A PKCS#8 private key as this class writes it (kubescrape's own reader is not a dependency here). */
    private static PrivateKey readKey(String pem, Path origin) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (!(o instanceof PrivateKeyInfo info)) {
                throw new IOException(origin + ": not a PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }

    public Issued ca() {
        return ca;
    }

    public String caPem() {
        return ca.certificatePem();
    }

    /** A server certificate for localhost and 127.0.0.1, plus any extra DNS names or IP addresses. */
    public Issued server(KeyType type, String... dnsNames) {
        try {
            KeyPair kp = keyPair(type);
            JcaX509v3CertificateBuilder b = builder(issuerName(), new X500Name("CN=kube-apiserver"), kp);
            GeneralName[] names = new GeneralName[2 + dnsNames.length];
            names[0] = new GeneralName(GeneralName.dNSName, "localhost");
            names[1] = new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress());
            for (int i = 0; i < dnsNames.length; i++) {
                boolean ip = dnsNames[i].matches("[0-9.]+") || dnsNames[i].contains(":");
                names[2 + i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, dnsNames[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return new Issued(sign(b, ca.key()), kp.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate as Kubernetes reads it: CN is the user, O the group. */
    public Issued client(KeyType type, String user) {
        try {
            KeyPair kp = keyPair(type);
            JcaX509v3CertificateBuilder b = builder(issuerName(), new X500Name("CN=" + user + ",O=monitoring"), kp);
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return new Issued(sign(b, ca.key()), kp.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store holding this CA. */
    public Path writeTrustStore(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private X500Name issuerName() {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(2, ChronoUnit.DAYS)), subject,
                kp.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    }

    private static KeyPair keyPair(KeyType type) throws Exception {
        if (type == KeyType.EC) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static String pem(Object o) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(o);
            }
            return sw.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
