package io.kubescrape.sim;

import io.kubescrape.config.ListenAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code java -jar kube-sim.jar}: a simulated Kubernetes API server for demos, tests and benchmarks. */
@Command(name = "kube-sim", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = "A simulated Kubernetes API server: pods, list/watch, and the pod proxy, over HTTPS.")
public final class KubeSimMain implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to serve on. Default: ${DEFAULT-VALUE}.")
    String listen = "127.0.0.1:6443";

    @Option(names = "--pods", paramLabel = "N", description = "Regular pods to simulate. Default: ${DEFAULT-VALUE}.")
    int pods = 20;

    @Option(names = "--nodes", paramLabel = "N",
            description = "Regular nodes the pods are spread over. Default: ${DEFAULT-VALUE}.")
    int nodes = 3;

    @Option(names = "--pods-per-node", paramLabel = "N",
            description = "Instead of --nodes: as many nodes as it takes to hold --pods pods N to a node (a node's "
                    + "cAdvisor body grows with its pods: about 20 KB each).")
    Integer podsPerNode;

    @Option(names = "--service-groups", paramLabel = "K",
            description = "Beside each app's Service, K more per namespace (svc-0..svc-K-1), each selecting the pods "
                    + "labelled tier=t-<i %% K>, with an EndpointSlice each. Default: ${DEFAULT-VALUE}.")
    int serviceGroups;

    @Option(names = "--aggregate-pods",
            description = "Add namespace agg: pods whose bodies an aggregate must cope with (a TYPE conflict, a line "
                    + "that does not parse, OpenMetrics with exemplars, gzip always, a slow one).")
    boolean aggregatePods;

    @Option(names = "--namespaces", paramLabel = "A,B", split = ",",
            description = "Namespaces the regular pods are spread over. Default: default,monitoring.")
    List<String> namespaces = new ArrayList<>(List.of("default", "monitoring"));

    @Option(names = "--kubeconfig-out", paramLabel = "FILE",
            description = "Where to write the kubeconfig (contexts kube-sim and kube-sim-mtls). Default: ${DEFAULT-VALUE}.")
    Path kubeconfigOut = Path.of("kube-sim.kubeconfig");

    @Option(names = "--metrics-bytes", paramLabel = "B",
            description = "Approximate size of each pod's metrics body. Default: ${DEFAULT-VALUE}.")
    int metricsBytes = 2048;

    @Option(names = "--backend", paramLabel = "HOST:PORT",
            description = "Send every pod's proxy traffic to this real exporter (plain HTTP) instead. Default: none.")
    String backend;

    @Option(names = "--churn", paramLabel = "PODS_PER_MINUTE",
            description = "Replace this many pods a minute (a delete and an add each). Default: ${DEFAULT-VALUE}.")
    int churn;

    @Option(names = "--token", paramLabel = "T",
            description = "Bearer token the server accepts. Default: a random one, written to the kubeconfig.")
    String token;

    @Option(names = "--ca-dir", paramLabel = "DIR",
            description = "Keep the CA in DIR (ca.crt, ca.key): loaded if present, else created there. Default: a new CA.")
    Path caDir;

    @Option(names = "--tls-san", paramLabel = "NAME",
            description = "Extra DNS name or IP for the server certificate (localhost and 127.0.0.1 are always in); repeatable.")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--server-url", paramLabel = "URL",
            description = "Server URL written to the kubeconfig. Default: https://<listen>.")
    String serverUrl;

    @Option(names = "--slow-seconds", paramLabel = "S",
            description = "How long the fault pod faults/slow-0 and the fault node slow-node wait before answering. "
                    + "Default: ${DEFAULT-VALUE}.")
    double slowSeconds = 10;

    @Option(names = "--fault-pods", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Add the fault pods in namespace faults and the fault nodes. Default: true.")
    boolean faultPods;

    public static void main(String[] args) {
        quietLogging();
        int code = new CommandLine(new KubeSimMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * For kube-sim and the benchmarks run from its jar, before the first logger: the jar carries logback but not
     * kubescrape's configuration, and without one logback prints every DEBUG line.
     */
    public static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-kube-sim.xml");
        }
    }

    @Override
    public Integer call() throws Exception {
        ListenAddress addr;
        try {
            addr = ListenAddress.parse(listen);
        } catch (IllegalArgumentException e) {
            System.err.println("kube-sim: --listen: " + e.getMessage());
            return 2;
        }
        if (pods < 0 || metricsBytes < 0 || churn < 0 || serviceGroups < 0 || namespaces.isEmpty() || nodes < 1
                || (podsPerNode != null && podsPerNode < 1)) {
            System.err.println("kube-sim: --pods, --metrics-bytes and --churn must not be negative, --nodes and "
                    + "--pods-per-node must be at least 1, and --namespaces not empty");
            return 2;
        }
        int nodeCount = podsPerNode == null ? nodes : Math.max(1, (pods + podsPerNode - 1) / podsPerNode);
        String t = token != null ? token : UUID.randomUUID().toString().replace("-", "");
        KubeSimServer sim = new KubeSimServer(new SimOptions(addr.host(), addr.port(), pods, namespaces,
                metricsBytes, backend, churn, t, caDir, tlsSans, serverUrl, (long) (slowSeconds * 1000), faultPods, nodeCount,
                serviceGroups, aggregatePods));
        Path kubeconfig = sim.writeKubeconfig(kubeconfigOut.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
            Runtime.getRuntime().halt(0);
        }, "kube-sim-shutdown"));
        System.out.println("kube-sim ready: " + sim.url() + " (" + sim.podCount() + " pods in namespaces "
                + String.join(",", namespaces) + (faultPods ? ",faults" : "") + " on " + sim.nodeNames().size()
                + " nodes)");
        System.out.println("kubeconfig: " + kubeconfig + " (contexts kube-sim: bearer token, kube-sim-mtls: "
                + "client certificate)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
