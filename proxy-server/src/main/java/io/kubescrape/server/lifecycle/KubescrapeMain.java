package io.kubescrape.server.lifecycle;

import io.kubescrape.cluster.UpstreamTls;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ConfigLoader;
import io.kubescrape.config.Durations;
import io.kubescrape.config.KubeconfigLocator;
import io.kubescrape.config.ProxyConfig;
import io.kubescrape.transport.NettyDefaults;
import io.kubescrape.transport.Transport;
import io.kubescrape.upstream.UpstreamRequests;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The command line: load the config, start the server, stop cleanly on SIGTERM or Ctrl-C. */
@Command(name = "kubescrape", mixinStandardHelpOptions = true, versionProvider = KubescrapeMain.Version.class,
        sortOptions = false, usageHelpWidth = 120,
        description = "Lets a Prometheus outside Kubernetes scrape every pod through the API servers' pod proxy,"
                + " at /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics.")
public final class KubescrapeMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(KubescrapeMain.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (see docs/configuration.md). Default: none.")
    Path config;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig whose every context becomes a cluster named after it; repeatable. "
                    + "Default: with neither --config nor --kubeconfig, $KUBECONFIG or ~/.kube/config.")
    List<Path> kubeconfigs = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to serve on. Default: the config's listen, else 127.0.0.1:8080 "
                    + "(loopback: kubescrape holds cluster credentials).")
    String listen;

    @Option(names = "--file-sd", paramLabel = "FILE",
            description = "Also write the discovered targets to this file_sd JSON file, atomically, whenever they change."
                    + " Default: the config's file_sd, else none.")
    Path fileSd;

    @Option(names = "--external-address", paramLabel = "HOST:PORT",
            description = "Address published as every target in /sd and file_sd (e.g. a load balancer). Default: the "
                    + "config's external_address, else the address each caller used (file_sd: the listen address).")
    String externalAddress;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "On a loopback listener, also answer requests whose Host is NAME (besides localhost, the "
                    + "loopback addresses and the external address); repeatable. Default: the config's allowed_hosts.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--enable-lifecycle",
            description = "Allow POST /-/reload (SIGHUP always reloads). Default: off.")
    boolean enableLifecycle;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "On SIGTERM, how long scrapes under way may take to finish. Default: ${DEFAULT-VALUE}.")
    String shutdownGrace = "30s";

    @Option(names = "--check-config", description = "Load and validate the configuration, print it, and exit.")
    boolean checkConfig;

    @Option(names = "--transport", paramLabel = "NAME",
            description = "Socket transport: auto (io_uring where the kernel allows it, else epoll, else NIO), "
                    + "io_uring, epoll or nio. Default: ${DEFAULT-VALUE}.")
    String transportName = "auto";

    @Option(names = "--no-native", description = "Use the NIO transport (the same as --transport nio).")
    boolean noNative;

    public static void main(String[] args) {
        NettyDefaults.apply(); // before any Netty class reads them
        // Netty's default leak detector records a stack trace for one buffer in 128: 2 % of the CPU of a small
        // scrape. Off unless asked for (-Dio.netty.leakDetection.level=simple); the tests run it at paranoid.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new KubescrapeMain()).execute(args));
    }

    private List<Path> kubeconfigsUsed = List.of();

    @Override
    public Integer call() throws Exception {
        ProxyConfig cfg;
        try {
            List<Path> kube = new ArrayList<>(kubeconfigs);
            if (config == null && kube.isEmpty()) {
                // $HOME first, as kubectl does; the JVM's user.home comes from the password database instead.
                String home = System.getenv("HOME");
                kube = KubeconfigLocator.defaults(System.getenv("KUBECONFIG"),
                        home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
                LOG.info("no --config or --kubeconfig: using {}", kube);
            }
            cfg = new ConfigLoader().load(config, kube, listen).withOverrides(externalAddress, fileSd)
                    .withAllowedHosts(allowedHosts);
            kubeconfigsUsed = kube;
        } catch (ConfigException e) {
            System.err.println("kubescrape: configuration error: " + e.getMessage());
            return 2;
        }
        cfg.warnings().forEach(w -> LOG.warn("{}", w));
        Transport transport;
        try {
            transport = Transport.choose(noNative ? "nio" : transportName);
        } catch (IllegalArgumentException e) {
            System.err.println("kubescrape: --transport: " + e.getMessage());
            return 2;
        }
        if (checkConfig) {
            System.out.println("transport: " + transport.name());
            describe(cfg);
            return 0;
        }
        ProxyServer server;
        try {
            List<Path> kubeFinal = kubeconfigsUsed;
            server = new ProxyServer(cfg, transport, () -> new ConfigLoader().load(config, kubeFinal, listen)
                    .withOverrides(externalAddress, fileSd).withAllowedHosts(allowedHosts), enableLifecycle);
        } catch (ConfigException e) {
            System.err.println("kubescrape: configuration error: " + e.getMessage());
            return 2;
        }
        Duration grace;
        try {
            grace = Durations.parse(shutdownGrace);
        } catch (IllegalArgumentException e) {
            System.err.println("kubescrape: --shutdown-grace: " + e.getMessage());
            server.close();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: no new connections; waiting up to {} for {} scrapes under way",
                    Durations.format(grace), server.metrics().scrapesInFlight());
            ShutdownWatchdog watchdog = new ShutdownWatchdog(grace.plus(ShutdownWatchdog.MARGIN), () -> {
                LOG.warn("stopping took more than the grace period and {} s: exiting without waiting further",
                        ShutdownWatchdog.MARGIN.toSeconds());
                Runtime.getRuntime().halt(1);
            }).start();
            int cut = server.shutdown(grace);
            watchdog.cancel();
            LOG.info("stopped{}", cut == 0 ? "" : "; " + cut + " scrapes were cut at the end of the grace period");
            stopped.countDown();
            // A requested stop that completed is a success: exit 0, not the JVM's 143 for SIGTERM.
            Runtime.getRuntime().halt(0);
        }, "kubescrape-shutdown"));
        ProxyServer running = server;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                LOG.info("SIGHUP: reloading the configuration");
                running.reload();
            });
        } catch (IllegalArgumentException noSighup) {
            LOG.info("SIGHUP is not available here; reload with POST /-/reload and --enable-lifecycle");
        }
        InetSocketAddress bound;
        try {
            bound = server.start();
        } catch (Exception e) {
            System.err.println("kubescrape: cannot listen on " + cfg.listen() + ": " + e.getMessage());
            return 1;
        }
        if (!cfg.listen().isLoopback() && cfg.callers().isEmpty()) {
            LOG.warn("listening on {} without caller authentication: anyone who reaches this port can scrape "
                    + "every pod of every configured cluster", cfg.listen());
        }
        LOG.info("kubescrape {} listening on {}://{}:{} (transport {}, TLS {}, clusters {}), config from {}",
                UpstreamRequests.version(), cfg.tls() == null ? "http" : "https", bound.getHostString(),
                bound.getPort(), transport.name(),
                UpstreamTls.provider(), cfg.clusters().stream().map(ClusterSpec::name).toList(), cfg.sources());
        stopped.await();
        return 0;
    }

    private static void describe(ProxyConfig cfg) {
        System.out.println("listen: " + cfg.listen());
        for (ClusterSpec c : cfg.clusters()) {
            System.out.println("cluster " + c.name() + ": " + c.server() + " (" + c.origin() + "), "
                    + (c.tls().mutual() ? "client certificate" : c.credential()) + ", CA "
                    + (c.tls().insecureSkipVerify() ? "NOT VERIFIED" : c.tls().ca() == null ? "system trust store"
                    : c.tls().ca().origin()));
        }
        System.out.println("configuration OK");
    }

    /** Reports the jar's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kubescrape " + UpstreamRequests.version()};
        }
    }
}
