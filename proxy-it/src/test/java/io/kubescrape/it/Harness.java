package io.kubescrape.it;

import io.kubescrape.cluster.PemReader;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.sim.HttpProtocols;
import io.kubescrape.testing.TestPki;
import io.kubescrape.transport.Transport;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Shared wiring for integration tests: TLS for test upstreams, kubescrape in-process, a downstream client. */
final class Harness {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Harness() {
    }

    /** Server TLS for a test API server: a certificate from the PKI, client certificates optional. */
    static SslContext serverTls(TestPki pki) throws Exception {
        TestPki.Issued server = pki.server(TestPki.KeyType.EC);
        return SslContextBuilder.forServer(server.key(), server.certificate())
                .trustManager(pki.ca().certificate()).clientAuth(ClientAuth.OPTIONAL)
                .applicationProtocolConfig(HttpProtocols.ALPN).build();
    }

    /** kubescrape in this JVM, reading the given kubeconfig, on an ephemeral loopback port. */
    static Running start(Path kubeconfig) throws Exception {
        return start(kubeconfig, null);
    }

    /** As {@link #start(Path)}, also writing file_sd targets to {@code fileSd} (when not null). */
    static Running start(Path kubeconfig, Path fileSd) throws Exception {
        ProxyConfig cfg = new ConfigLoader().load(null, List.of(kubeconfig), "127.0.0.1:0").withOverrides(null, fileSd);
        ProxyServer server = new ProxyServer(cfg, Transport.detect(true));
        var addr = server.start();
        return new Running(server, "http://127.0.0.1:" + addr.getPort());
    }

    /** kubescrape with discovery off, for tests that count the connections scrapes alone use. */
    static Running startWithoutDiscovery(Path kubeconfig) throws Exception {
        return startWithoutDiscovery(kubeconfig, Transport.detect(true));
    }

    /** As {@link #startWithoutDiscovery(Path)}, on the given transport. */
    static Running startWithoutDiscovery(Path kubeconfig, Transport transport) throws Exception {
        return startWithConfig(Files.writeString(kubeconfig.resolveSibling("no-discovery.yaml"),
                "kubeconfigs: [{path: " + kubeconfig + "}]\ncluster_defaults: {discovery: {enabled: false}}\n"),
                transport);
    }

    /** kubescrape in this JVM with the given configuration file (its listen address is overridden). */
    static Running startWithConfig(Path configFile) throws Exception {
        return startWithConfig(configFile, Transport.detect(true));
    }

    private static Running startWithConfig(Path configFile, Transport transport) throws Exception {
        ProxyConfig config = new ConfigLoader().load(configFile, List.of(), "127.0.0.1:0");
        ProxyServer server = new ProxyServer(config, transport);
        return new Running(server, "http://127.0.0.1:" + server.start().getPort());
    }

    /** Polls the condition every 20 ms until it holds; fails after {@code millis}. */
    static void awaitWithin(long millis, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** Closes what a test started, in order, skipping what it never got to start. */
    static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }

    record Running(ProxyServer server, String url) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes to a loopback port and reads what comes back until the server closes or 5 s pass. */
    static String exchange(int port, String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static HttpResponse<byte[]> getBytes(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A client that trusts only this CA (kube-sim's, say), for requests straight to an API server. */
    static HttpClient trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemReader.certificates(caPem.getBytes(StandardCharsets.US_ASCII), "ca").get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A body straight from an HTTPS server whose certificate {@code caPem} signed. */
    static byte[] getBytesTrusting(String url, String caPem, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<byte[]> r = trusting(caPem).send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** Streams a body through SHA-256; returns the digest and the byte count. */
    record Digest(byte[] sha256, long bytes, int status) {
    }

    static Digest digest(String url) throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            int k;
            while ((k = in.read(buf)) > 0) {
                md.update(buf, 0, k);
                n += k;
            }
        }
        return new Digest(md.digest(), n, r.statusCode());
    }
}
