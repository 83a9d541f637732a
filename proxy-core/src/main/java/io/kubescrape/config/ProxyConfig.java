package io.kubescrape.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration: immutable, swapped as one piece.
 *
 * @param ioThreads event loops to run (0: one per core)
 * @param warnings  things the operator should know but that do not stop the start (skipped contexts, …)
 * @param sources   the files this was read from, for the start-up log
 */
public record ProxyConfig(ListenAddress listen, int ioThreads, List<ClusterSpec> clusters, List<String> warnings,
                          List<String> sources) {

    public static final ListenAddress DEFAULT_LISTEN = new ListenAddress("127.0.0.1", 8080);

    public ProxyConfig {
        clusters = List.copyOf(clusters);
        warnings = List.copyOf(warnings);
        sources = List.copyOf(sources);
    }

    public Optional<ClusterSpec> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
