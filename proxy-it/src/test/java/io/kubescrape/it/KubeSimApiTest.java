package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kube-sim's API as a Kubernetes client sees it: auth, paging, selectors, watch resume and 410. */
class KubeSimApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(23).churn(600); // a pod replaced every 100 ms
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        client = Harness.trusting(SIM.server().caPem());
    }

    private static HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SIM.server().url() + path))
                .timeout(Duration.ofSeconds(10));
        if (auth) {
            b.header("Authorization", "Bearer " + Sims.TOKEN);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unauthenticatedRequestsGetTheApiServersOwn401() throws Exception {
        HttpResponse<String> r = get("/api/v1/pods", false);
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("code").asInt()).isEqualTo(401);
        assertThat(get("/version", false).statusCode()).as("public, as on real clusters").isEqualTo(200);
    }

    @Test
    void listsPageWithLimitAndContinue() throws Exception {
        List<String> names = new ArrayList<>();
        String cont = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get("/api/v1/namespaces/faults/pods?limit=3"
                    + (cont == null ? "" : "&continue=" + cont), true).body());
            page.get("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
            cont = page.at("/metadata/continue").asText(null);
            pages++;
        } while (cont != null);
        assertThat(pages).isEqualTo(2);
        assertThat(names).containsExactly("error-500-0", "reset-chunked-0", "reset-length-0", "slow-0");
    }

    @Test
    void labelSelectorsFilter() throws Exception {
        JsonNode list = JSON.readTree(get("/api/v1/pods?labelSelector=app%20in%20(web,cache),"
                + "sim.kubescrape.io/fault!=slow", true).body());
        assertThat(list.get("items").size()).isPositive();
        list.get("items").forEach(i -> assertThat(i.at("/metadata/labels/app").asText()).isIn("web", "cache"));
        assertThat(list.toString()).doesNotContain("\"slow-0\"");
    }

    @Test
    void aWatchResumesFromAListsVersionAndEndsAtItsTimeout() throws Exception {
        String rv = JSON.readTree(get("/api/v1/pods?limit=1", true).body()).at("/metadata/resourceVersion").asText();
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/api/v1/pods?watch=1&resourceVersion=" + rv + "&timeoutSeconds=2", true);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
        List<String> types = new ArrayList<>();
        long last = Long.parseLong(rv);
        for (String line : r.body().split("\n")) {
            JsonNode e = JSON.readTree(line);
            types.add(e.get("type").asText());
            long v = Long.parseLong(e.at("/object/metadata/resourceVersion").asText());
            assertThat(v).as("versions only grow").isGreaterThan(last);
            last = v;
        }
        assertThat(types).contains("ADDED", "DELETED").doesNotContain("ERROR");
    }

    @Test
    void aTooOldVersionGets410Gone() throws Exception {
        HttpResponse<String> r = get("/api/v1/pods?watch=1&resourceVersion=1&allowWatchBookmarks=true", true);
        JsonNode e = JSON.readTree(r.body().split("\n")[0]);
        assertThat(e.get("type").asText()).isEqualTo("ERROR");
        assertThat(e.at("/object/code").asInt()).isEqualTo(410);
        assertThat(e.at("/object/reason").asText()).isEqualTo("Expired");
    }
}
