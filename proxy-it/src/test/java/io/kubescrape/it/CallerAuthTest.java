package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.server.lifecycle.ProxyServer;
import io.kubescrape.testing.TestPki;
import io.kubescrape.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Caller authentication and rules: 401 without credentials, 403 outside a caller's rules, /sd filtered, mTLS. */
class CallerAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(10).withoutFaultPods();

    @BeforeAll
    static void tokens() throws Exception {
        Files.writeString(SIM.dir().resolve("eu.token"), "eu-secret-token\n");
    }

    private static ProxyServer server(String extra) throws Exception {
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        Path cfg = Files.writeString(SIM.dir().resolve("kubescrape-" + extra.hashCode() + ".yaml"), """
                kubeconfigs: [{path: kubeconfig}]
                callers:
                  - {name: eu, bearer_token_file: eu.token, allow: [{cluster: kube-sim, namespaces: [monitoring]}]}
                  - {name: ops, username: ops, password_hash: '%s', allow: [{cluster: '*'}], grants: [metrics, lifecycle]}
                  - {name: prom-1, client_cn: prom-1, allow: [{cluster: 'kube-sim*'}]}
                %s
                """.formatted(hash, extra));
        ProxyServer s = new ProxyServer(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"), Transport.detect(true));
        return s;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whoMayScrapeWhat() throws Exception {
        try (ProxyServer server = server("")) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            String web1 = url + "/clusters/kube-sim/ns/monitoring/pods/web-1/metrics";
            String web0 = url + "/clusters/kube-sim/ns/default/pods/web-0/metrics";

            HttpResponse<String> anonymous = Harness.get(web1);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .contains("Basic"));
            assertThat(Harness.get(url + "/metrics").statusCode()).isEqualTo(401);
            assertThat(Harness.get(url + "/-/healthy").statusCode()).as("probes answer anyone").isEqualTo(200);

            String eu = "Bearer eu-secret-token";
            assertThat(Harness.get(web1, "Authorization", eu).statusCode()).isEqualTo(200);
            HttpResponse<String> outside = Harness.get(web0, "Authorization", eu);
            assertThat(outside.statusCode()).isEqualTo(403);
            assertThat(outside.body()).contains("caller eu may not scrape namespace default");
            HttpResponse<String> hidden = Harness.get(url + "/clusters/kube-sim-mtls/ns/monitoring/pods/web-1/metrics",
                    "Authorization", eu);
            HttpResponse<String> missing = Harness.get(url + "/clusters/kube-sim-nope/ns/monitoring/pods/web-1/metrics",
                    "Authorization", eu);
            assertThat(hidden.statusCode()).as("a cluster outside the rules looks like none").isEqualTo(404);
            assertThat(hidden.body().replace("kube-sim-mtls", "X")).isEqualTo(missing.body().replace("kube-sim-nope",
                    "X"));
            assertThat(Harness.get(web1, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            for (String spanning : List.of("/clusters/kube-sim/nodes/node-1/metrics/cadvisor",
                    "/clusters/kube-sim/apiserver/metrics")) {
                HttpResponse<String> r = Harness.get(url + spanning, "Authorization", eu);
                assertThat(r.statusCode()).as("a node or the API server shows every namespace").isEqualTo(403);
                assertThat(r.body()).contains("takes a rule allowing every namespace");
                assertThat(Harness.get(url + spanning, "Authorization", basic("ops", "s3cret")).statusCode())
                        .isEqualTo(200);
            }

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Harness.get(url + "/-/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            JsonNode sd = JSON.readTree(Harness.get(url + "/sd", "Authorization", eu).body());
            assertThat(sd.size()).isPositive();
            sd.forEach(g -> {
                assertThat(g.at("/labels/cluster").asText()).isEqualTo("kube-sim");
                assertThat(g.at("/labels/namespace").asText()).isEqualTo("monitoring");
            });

            assertThat(Harness.get(web0, "Authorization", basic("ops", "s3cret")).statusCode()).isEqualTo(200);
            assertThat(Harness.get(web0, "Authorization", basic("ops", "s3cret")).statusCode()).as("cached").isEqualTo(200);
            assertThat(Harness.get(web0, "Authorization", basic("ops", "wrong")).statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(Harness.get(url + "/sd", "Authorization", basic("ops", "s3cret")).body()).size())
                    .as("ops sees every cluster").isGreaterThan(sd.size());
        }
    }

    @Test
    void pagesCountsAndOwnMetricsStayWithinTheGrant() throws Exception {
        try (ProxyServer server = server("")) {
            String url = "http://127.0.0.1:" + server.start().getPort();
            String eu = "Bearer eu-secret-token";
            Harness.awaitWithin(10_000, () -> Harness.get(url + "/-/ready").statusCode() == 200);

            String index = Harness.get(url + "/", "Authorization", eu).body();
            assertThat(index).contains("kube-sim ").doesNotContain("kube-sim-mtls");
            HttpResponse<String> hiddenPage = Harness.get(url + "/ui/clusters/kube-sim-mtls", "Authorization", eu,
                    "Accept", "text/html");
            HttpResponse<String> missingPage = Harness.get(url + "/ui/clusters/kube-sim-nope", "Authorization", eu,
                    "Accept", "text/html");
            assertThat(hiddenPage.statusCode()).isEqualTo(404).isEqualTo(missingPage.statusCode());

            String page = Harness.get(url + "/ui/clusters/kube-sim", "Authorization", eu, "Accept", "text/html").body();
            long monitoring = SIM.server().podKeys().stream().filter(k -> k.startsWith("monitoring/")).count();
            assertThat(page).contains(" of " + monitoring + " pods").doesNotContain(">default<");
            String html = Harness.get(url + "/", "Authorization", eu, "Accept", "text/html").body();
            assertThat(html).contains("<td>" + monitoring + "</td>").doesNotContain("kube-sim-mtls");

            HttpResponse<String> own = Harness.get(url + "/metrics", "Authorization", eu);
            assertThat(own.statusCode()).as("kubescrape's own metrics span every cluster: a grant of their own")
                    .isEqualTo(403);
            assertThat(own.body()).contains("\"metrics\" grant");
            assertThat(Harness.get(url + "/metrics", "Authorization", basic("ops", "s3cret")).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void reloadingNeedsTheLifecycleGrant() throws Exception {
        Path cfg = SIM.dir().resolve("kubescrape-" + "".hashCode() + ".yaml");
        try (ProxyServer writesTheConfigFile = server("")) {
            assertThat(cfg).exists();
        }
        try (ProxyServer server = new ProxyServer(new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"),
                Transport.detect(true), () -> new ConfigLoader().load(cfg, List.of(), "127.0.0.1:0"), true)) {
            String url = "http://127.0.0.1:" + server.start().getPort() + "/-/reload";
            HttpResponse<String> eu = Harness.CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer eu-secret-token").POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(eu.statusCode()).isEqualTo(403);
            assertThat(eu.body()).contains("\"lifecycle\" grant");
            HttpResponse<String> ops = Harness.CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", basic("ops", "s3cret")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        }
    }

    @Test
    void inboundMutualTls() throws Exception {
        TestPki pki = new TestPki("callers-ca");
        TestPki.Issued serverCert = pki.server(TestPki.KeyType.EC);
        Files.writeString(SIM.dir().resolve("server.crt"), serverCert.certificatePem());
        Files.writeString(SIM.dir().resolve("server.key"), serverCert.keyPem(TestPki.KeyFormat.PKCS8));
        Files.writeString(SIM.dir().resolve("ca.crt"), pki.caPem());
        try (ProxyServer server = server("tls: {cert_file: server.crt, key_file: server.key, client_ca_file: ca.crt}")) {
            String url = "https://localhost:" + server.start().getPort()
                    + "/clusters/kube-sim/ns/monitoring/pods/web-1/metrics";
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", pki.ca().certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyStore clientKeys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(pki.client(TestPki.KeyType.EC, "prom-1")
                    .writeKeyStore(SIM.dir().resolve("prom-1.p12")))) {
                clientKeys.load(in, TestPki.PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientKeys, TestPki.PASSWORD.toCharArray());
            SSLContext withCert = SSLContext.getInstance("TLS");
            withCert.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(withCert).build().send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("caller prom-1, known by its certificate").isEqualTo(200);

            SSLContext noCert = SSLContext.getInstance("TLS");
            noCert.init(null, tmf.getTrustManagers(), null);
            assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(noCert).build().send(
                    HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }
}
