package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real kubectl against kube-sim: list, JSON, watch (with churn) and a raw pod-proxy GET. */
class KubectlTest {
    @RegisterExtension
    static final KubeSimExtension SIM = KubeSimExtension.pods(12).churn(240);

    @BeforeAll
    static void needsKubectl() {
        assumeTrue(Tools.onPath("kubectl"), () -> Tools.missing("kubectl", "kubernetes-client"));
    }

    private record Out(int exit, String stdout, String stderr) {
    }

    private static Out kubectl(long seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", SIM.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("kubectl", ".out");
        Path err = Files.createTempFile("kubectl", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        try {
            return new Out(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void getPodsInAllNamespaces() throws Exception {
        Out o = kubectl(30, "get", "pods", "-A");
        assertThat(o.exit()).as(o.stderr()).isZero();
        String[] lines = o.stdout().strip().split("\n");
        assertThat(lines[0]).startsWith("NAMESPACE").contains("NAME", "READY", "STATUS", "AGE");
        assertThat(lines).anyMatch(l -> l.startsWith("faults") && l.contains("slow-0") && l.contains("Running"));
        assertThat(lines.length - 1).isBetween(12 + 4 - 2, 12 + 4 + 2); // churn may be mid-swap
    }

    @Test
    void getNodesWide() throws Exception {
        Out o = kubectl(30, "get", "nodes", "-o", "wide");
        assertThat(o.exit()).as(o.stderr()).isZero();
        String[] lines = o.stdout().strip().split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("STATUS", "VERSION", "INTERNAL-IP", "OS-IMAGE");
        assertThat(lines).anyMatch(l -> l.startsWith("node-1 ") && l.contains(" Ready ") && l.contains("192.168.0.1"));
        assertThat(lines).anyMatch(l -> l.startsWith("notready-node ") && l.contains("NotReady"));
        assertThat(lines.length - 1).isEqualTo(3 + 3);
    }

    @Test
    void getPodsOfANamespaceAsJson() throws Exception {
        Out o = kubectl(30, "get", "pods", "-n", "faults", "-o", "json");
        assertThat(o.exit()).as(o.stderr()).isZero();
        JsonNode list = new ObjectMapper().readTree(o.stdout());
        List<String> names = new ArrayList<>();
        list.get("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
        assertThat(names).containsExactlyInAnyOrder("slow-0", "reset-length-0", "reset-chunked-0", "error-500-0");
        assertThat(list.get("items").get(0).at("/spec/containers/0/ports/0/name").asText()).isEqualTo("metrics");
    }

    @Test
    void watchSeesChurn() throws Exception {
        Out o = kubectl(6, "get", "pods", "-A", "--watch");
        assertThat(o.exit()).as("still watching when stopped").isEqualTo(-1);
        assertThat(o.stderr()).doesNotContain("error");
        long lines = o.stdout().lines().count();
        assertThat(lines).as("the initial list plus events from churn (4 per second)").isGreaterThan(12 + 4 + 1 + 5);
    }

    @Test
    void rawPodProxyGet() throws Exception {
        // Fault pods never churn away: slow-0 answers on its metrics port after 3 s, and nothing listens on 9999.
        Out raw = kubectl(30, "get", "--raw", "/api/v1/namespaces/faults/pods/slow-0:9100/proxy/metrics");
        assertThat(raw.exit()).as(raw.stderr()).isZero();
        assertThat(raw.stdout()).contains("sim_pod_info{namespace=\"faults\",pod=\"slow-0\"");
        Out refused = kubectl(30, "get", "--raw", "/api/v1/namespaces/faults/pods/slow-0:9999/proxy/metrics");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("error trying to reach service").contains("connection refused");
        Out missing = kubectl(30, "get", "--raw", "/api/v1/namespaces/faults/pods/ghost:9100/proxy/metrics");
        assertThat(missing.stderr()).contains("pods \"ghost\" not found");
    }
}
