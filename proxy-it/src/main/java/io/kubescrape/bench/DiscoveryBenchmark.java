package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimMain;
import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import io.kubescrape.testing.Kubeconfigs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discovery at scale (a benchmark, not a test): N simulated clusters of P pods, K nodes and about 4 x G + 20
 * Services (with their EndpointSlices) each, and the real kubescrape jar in its own JVM with default settings and
 * every discovery role on. Reports the initial sync time, /sd render times, how soon a node or endpoint change shows
 * in /sd, and kubescrape's heap after a full GC. Run: {@code java -Xmx6g -cp proxy-it/target/kube-sim.jar
 * io.kubescrape.bench.DiscoveryBenchmark [clusters] [podsPerCluster] [nodesPerCluster] [serviceGroups]
 * [kubescrape.jar]}.
 */
public final class DiscoveryBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private DiscoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KubeSimMain.quietLogging();
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        int groups = args.length > 3 ? Integer.parseInt(args[3]) : 245;
        Path jar = Path.of(args.length > 4 ? args[4] : "proxy-server/target/kubescrape.jar");
        Path dir = Files.createTempDirectory("discovery-bench");
        List<KubeSimServer> sims = new ArrayList<>();
        Kubeconfigs kubeconfig = new Kubeconfigs();
        long t0 = System.nanoTime();
        for (int i = 0; i < clusters; i++) {
            KubeSimServer sim = new KubeSimServer(new SimOptions("127.0.0.1", 0, pods,
                    List.of("default", "web", "batch", "data"), 256, null, 0, "bench", null, List.of(), null, 1000,
                    false).withNodes(nodes).withServiceGroups(groups));
            sims.add(sim);
            kubeconfig.context("c" + i, sim.url(), sim.caPem(), Kubeconfigs.token("bench"));
        }
        Path kc = kubeconfig.write(dir.resolve("kubeconfig"));
        System.out.printf("%d simulated clusters with %d pods, %d nodes and %d Services each (%d pods, %d nodes, %d "
                + "Services) started in %.1f s%n", clusters, pods, sims.get(0).nodeNames().size(),
                sims.get(0).serviceCount(), clusters * pods, clusters * sims.get(0).nodeNames().size(),
                clusters * sims.get(0).serviceCount(), (System.nanoTime() - t0) / 1e9);
        Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kc + "}]\n"
                + "cluster_defaults: {discovery: {roles: [pod, node, apiserver, endpoints]}}\n");

        Process ks = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--config", cfg.toString(), "--listen", "127.0.0.1:0")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(ks.getInputStream(), StandardCharsets.UTF_8));
        String url = null;
        String line;
        while (url == null && (line = out.readLine()) != null) {
            Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
        }
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(l -> { });
            } catch (UncheckedIOException closed) {
                // kubescrape stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
        long listening = System.nanoTime();
        while (get(url + "/-/ready").statusCode() != 200) {
            Thread.sleep(20);
        }
        double sync = (System.nanoTime() - listening) / 1e9;
        String metrics = get(url + "/metrics").body();
        long known = Math.round(sum(metrics, "kubescrape_discovery_pods\\{[^}]*\\} (\\S+)"));

        Thread.sleep(500); // let the background build after the sync finish, as it would in service
        long r0 = System.nanoTime();
        double firstServer = serverSide(url);
        HttpResponse<String> sd = get(url + "/sd");
        firstServer = serverSide(url) - firstServer;
        double firstRender = (System.nanoTime() - r0) / 1e6;
        long targets = sd.body().split("\"targets\"", -1).length - 1;
        List<Double> cached = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long c0 = System.nanoTime();
            get(url + "/sd");
            cached.add((System.nanoTime() - c0) / 1e6);
        }
        sims.get(0).deletePod("default/web-0");
        Thread.sleep(1000);
        long a0 = System.nanoTime();
        double changeServer = serverSide(url);
        get(url + "/sd");
        changeServer = serverSide(url) - changeServer;
        double afterChange = (System.nanoTime() - a0) / 1e6;
        double otherHostServer = serverSide(url);
        HTTP.send(HttpRequest.newBuilder(URI.create(url.replace("127.0.0.1", "localhost") + "/sd"))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.discarding());
        otherHostServer = serverSide(url) - otherHostServer;
        long s0 = System.nanoTime();
        double shardServer = serverSide(url);
        get(url + "/sd?shard=0&shards=4");
        shardServer = serverSide(url) - shardServer;
        double shard = (System.nanoTime() - s0) / 1e6;
        System.out.printf("/sd server-side (kubescrape_sd_requests_seconds): first %.0f ms, after a change %.0f ms, "
                + "rendered anew for another Host %.0f ms, shard 0/4 %.0f ms%n", firstServer, changeServer,
                otherHostServer, shardServer);
        RoleTimes.report(url, sims.get(0));

        new ProcessBuilder("jcmd", Long.toString(ks.pid()), "GC.run").start().waitFor();
        Thread.sleep(500);
        double heap = sum(get(url + "/metrics").body(), "jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} (\\S+)");
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(ks.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");

        System.out.printf("initial sync (listening -> /-/ready 200): %.2f s, pods known %d%n", sync, known);
        System.out.printf("/sd: %d targets, %.1f MB; first render %.0f ms; cached %s ms; after a change %.0f ms; "
                + "shard 0/4 %.0f ms%n", targets, sd.body().length() / 1e6, firstRender,
                cached.stream().map(d -> String.format("%.0f", d)).toList(), afterChange, shard);
        String after = get(url + "/metrics").body();
        System.out.printf("server-side /sd time (kubescrape_sd_requests_seconds): rendered %.0f ms avg over %.0f, "
                + "cached %.1f ms avg over %.0f%n",
                1000 * sum(after, "kubescrape_sd_requests_seconds_sum\\{result=\"rendered\"\\} (\\S+)")
                        / sum(after, "kubescrape_sd_requests_seconds_count\\{result=\"rendered\"\\} (\\S+)"),
                sum(after, "kubescrape_sd_requests_seconds_count\\{result=\"rendered\"\\} (\\S+)"),
                1000 * sum(after, "kubescrape_sd_requests_seconds_sum\\{result=\"cached\"\\} (\\S+)")
                        / sum(after, "kubescrape_sd_requests_seconds_count\\{result=\"cached\"\\} (\\S+)"),
                sum(after, "kubescrape_sd_requests_seconds_count\\{result=\"cached\"\\} (\\S+)"));
        System.out.printf("kubescrape heap after full GC: %.0f MB; %s%n", heap / 1e6, rss);
        ks.destroy();
        ks.waitFor();
        sims.forEach(KubeSimServer::close);
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** kubescrape's own total /sd time so far, in ms (rendered and cached). */
    static double serverSide(String url) throws Exception {
        return 1000 * sum(get(url + "/metrics").body(), "kubescrape_sd_requests_seconds_sum\\{[^}]*\\} (\\S+)");
    }

    private static double sum(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
