package io.kubescrape.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration: immutable, swapped as one piece.
 *
 * @param ioThreads       event loops to run (0: one per core)
 * @param externalAddress HOST:PORT to publish as every target's address in service discovery, or null for the
 *                        address each caller used to reach kubescrape
 * @param fileSd          where to write the file_sd targets file, or null
 * @param limits          what callers may send and hold (all fields set)
 * @param tls             TLS for callers, or null for plain HTTP
 * @param callers         who may call, and what they may scrape; empty means anyone may scrape anything
 * @param warnings  things the operator should know but that do not stop the start (skipped contexts, …)
 * @param sources   the files this was read from, for the start-up log
 * @param allowedHosts host names a loopback listener answers besides its own (the DNS-rebinding check)
 * @param aggregate    the bounds of aggregated scrapes
 */
public record ProxyConfig(ListenAddress listen, int ioThreads, String externalAddress, Path fileSd,
                          DownstreamLimits limits, InboundTls tls, List<CallerSpec> callers,
                          List<ClusterSpec> clusters, List<String> warnings, List<String> sources,
                          List<String> allowedHosts, AggregateSettings aggregate) {

    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("127.0.0.1", 8080);

    public ProxyConfig {
        clusters = List.copyOf(clusters);
        callers = List.copyOf(callers);
        warnings = List.copyOf(warnings);
        sources = List.copyOf(sources);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        aggregate = aggregate == null ? AggregateSettings.BUILTIN : aggregate;
    }

    /** This config with the command line's --external-address and --file-sd laid over the file's. */
    public ProxyConfig withOverrides(String address, Path file) throws ConfigException {
        String a = address != null ? address : externalAddress;
        Path f = file != null ? file : fileSd;
        checkExternalAddress(a);
        checkFileSd(f);
        return new ProxyConfig(listen, ioThreads, a, f, limits, tls, callers, clusters, warnings, sources,
                allowedHosts, aggregate);
    }

    /** This config with the command line's --allowed-host names added to the file's. */
    public ProxyConfig withAllowedHosts(List<String> more) throws ConfigException {
        if (more == null || more.isEmpty()) {
            return this;
        }
        checkAllowedHosts(more);
        List<String> all = new ArrayList<>(allowedHosts);
        all.addAll(more);
        return new ProxyConfig(listen, ioThreads, externalAddress, fileSd, limits, tls, callers, clusters, warnings,
                sources, all, aggregate);
    }

    /** A host name or IP address, without a port: what a Host header names. */
    static void checkAllowedHosts(List<String> hosts) throws ConfigException {
        for (String h : hosts) {
            if (h == null || !h.matches("[A-Za-z0-9.-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}\\]?")) {
                throw new ConfigException("allowed host \"" + h + "\": must be a host name or an IP address, "
                        + "without a port");
            }
        }
    }

    static void checkExternalAddress(String address) throws ConfigException {
        if (address == null) {
            return;
        }
        try {
            ListenAddress parsed = ListenAddress.parse(address);
            if (parsed.port() == 0 || !parsed.host().matches("[A-Za-z0-9.:-]+")) {
                throw new IllegalArgumentException("needs a host name or IP and a non-zero port");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("external address \"" + address + "\": " + e.getMessage());
        }
    }

    /** A file_sd path must name a file in an existing, writable folder (kubescrape renames a temp file over it). */
    static void checkFileSd(Path file) throws ConfigException {
        if (file == null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new ConfigException("file_sd " + file + " is a directory; name a file such as targets.json");
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ConfigException("file_sd " + file + ": the folder " + dir + " does not exist or is not writable");
        }
        if (!file.getFileName().toString().endsWith(".json")) {
            throw new ConfigException("file_sd " + file + " must end in .json (Prometheus reads .json, .yml, .yaml)");
        }
    }

    public Optional<ClusterSpec> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
