package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubescrape.sim.KubeSimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the compose setup is checked by reading it: every file it references exists,
 * ports and paths agree between services, and the pods Prometheus is told to scrape are the ones kube-sim makes.
 */
class ComposeFileTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static JsonNode compose() throws Exception {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    private static List<String> args(JsonNode service, String key) {
        List<String> out = new ArrayList<>();
        service.path(key).forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String flag(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as(name + " in " + args).isGreaterThanOrEqualTo(0);
        return args.get(i + 1);
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    @Test
    void buildTargetsAndCopiedFilesExist() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        for (String service : new String[] {"kube-sim", "kubescrape"}) {
            String target = compose().at("/services/" + service + "/build/target").asText();
            assertThat(dockerfile).as("stage for " + service).containsPattern("(?m)^FROM \\S+ AS " + target + "$");
        }
        Matcher copy = Pattern.compile("(?m)^COPY (--from=build /src/)?(\\S+) ").matcher(dockerfile);
        while (copy.find()) {
            Path source = ROOT.resolve(copy.group(2));
            Matcher jar = Pattern.compile("^([a-z-]+)/target/([a-z-]+)\\.jar$").matcher(copy.group(2));
            if (jar.matches() && !Files.exists(source)) {
                // This module's own jar is packaged after its tests run: its pom must name it so.
                assertThat(Files.readString(ROOT.resolve(jar.group(1)).resolve("pom.xml")))
                        .as("COPY " + copy.group(2)).contains("<finalName>" + jar.group(2) + "</finalName>");
            } else {
                assertThat(source).as("COPY " + copy.group(2)).exists();
            }
        }
    }

    @Test
    void theImageBuildCopiesEveryModuleAndWhatTheBuildReads() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher module = Pattern.compile("<module>([\\w-]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> needed = new ArrayList<>(List.of(".mvn", "config"));
        while (module.find()) {
            needed.add(module.group(1));
        }
        assertThat(needed).contains("proxy-testing", "proxy-core", "proxy-server", "proxy-it");
        for (String dir : needed) {
            assertThat(dockerfile).as("the build stage copies " + dir).containsPattern("(?m)^COPY " + Pattern.quote(dir)
                    + " " + Pattern.quote(dir) + "$");
        }
    }

    @Test
    void servicesAgreeOnPortsPathsAndNames() throws Exception {
        JsonNode services = compose().get("services");
        JsonNode sim = services.get("kube-sim");
        List<String> simArgs = args(sim, "command");
        String simPort = port(flag(simArgs, "--listen"));
        assertThat(sim.get("ports").get(0).asText()).endsWith(":" + simPort);
        assertThat(flag(simArgs, "--server-url")).isEqualTo("https://kube-sim:" + simPort);
        assertThat(flag(simArgs, "--tls-san")).isEqualTo("kube-sim");
        String kubeconfig = flag(simArgs, "--kubeconfig-out");

        JsonNode ks = services.get("kubescrape");
        String entry = ks.get("entrypoint").get(2).asText();
        assertThat(entry).contains("until [ -f " + kubeconfig + " ]").contains("--kubeconfig " + kubeconfig);
        Matcher listen = Pattern.compile("--listen 0\\.0\\.0\\.0:(\\d+)").matcher(entry);
        assertThat(listen.find()).isTrue();
        String ksPort = listen.group(1);
        assertThat(ks.get("ports").get(0).asText()).endsWith(":" + ksPort);
        String volume = sim.get("volumes").get(0).asText().split(":")[0];
        assertThat(ks.get("volumes").get(0).asText()).startsWith(volume + ":" + kubeconfig.substring(0,
                kubeconfig.lastIndexOf('/')));
        assertThat(compose().at("/volumes").has(volume)).isTrue();

        JsonNode prom = services.get("prometheus");
        assertThat(prom.get("image").asText()).startsWith("prom/prometheus:");
        String[] mount = prom.get("volumes").get(0).asText().split(":");
        assertThat(ROOT.resolve(mount[0])).exists();
        assertThat(mount[1]).isEqualTo("/etc/prometheus/prometheus.yml");
        JsonNode promCfg = YAML.readTree(ROOT.resolve(mount[0]).toFile());
        for (JsonNode job : promCfg.get("scrape_configs")) {
            for (JsonNode group : job.get("static_configs")) {
                group.get("targets").forEach(t -> assertThat(t.asText()).isEqualTo("kubescrape:" + ksPort));
            }
        }
    }

    @Test
    void prometheusScrapesExactlyThePodsKubeSimMakes() throws Exception {
        List<String> simArgs = args(compose().at("/services/kube-sim"), "command");
        int pods = Integer.parseInt(flag(simArgs, "--pods"));
        JsonNode promCfg = YAML.readTree(ROOT.resolve("docker/prometheus.yml").toFile());
        List<String> listed = new ArrayList<>();
        for (JsonNode job : promCfg.get("scrape_configs")) {
            for (JsonNode group : job.get("static_configs")) {
                JsonNode l = group.path("labels");
                if (l.has("pod")) {
                    String key = l.get("namespace").asText() + "/" + l.get("pod").asText();
                    assertThat(l.get("__metrics_path__").asText()).isEqualTo("/clusters/" + l.get("cluster").asText()
                            + "/ns/" + l.get("namespace").asText() + "/pods/" + l.get("pod").asText() + "/metrics");
                    listed.add(key);
                }
            }
        }
        try (KubeSimServer sim = Sims.start(pods, 0)) {
            List<String> made = sim.podKeys().stream().filter(k -> !k.startsWith("faults/")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(made);
        }
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("promtool"),
                () -> Tools.missing("promtool", "prometheus"));
        Process p = new ProcessBuilder("promtool", "check", "config", ROOT.resolve("docker/prometheus.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
