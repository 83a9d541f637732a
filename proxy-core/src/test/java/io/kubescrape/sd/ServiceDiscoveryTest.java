package io.kubescrape.sd;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.cluster.ClusterRegistry;
import io.kubescrape.cluster.TokenSource;
import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.upstream.ClusterPools;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** Background builds of the targets, as a server sets them up and stops them. */
class ServiceDiscoveryTest {
    @Test
    void podsChangingWhileTheServerStopsAreNotAnError() throws Exception {
        ClusterSpec spec = new ClusterSpec("prod", URI.create("http://prod:1"), "test",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN,
                UpstreamSettings.BUILTIN, DiscoverySettings.BUILTIN);
        try (ProxyMetrics metrics = new ProxyMetrics()) {
            Cluster cluster = new Cluster(spec, TokenSource.of(CredentialSpec.NONE, "prod"), ClusterPools.of(loop -> null),
                    null, metrics.cluster("prod"));
            ServiceDiscovery sd = new ServiceDiscovery(() -> ClusterRegistry.of(List.of(cluster)));
            ScheduledExecutorService builder = Executors.newSingleThreadScheduledExecutor();
            sd.prebuildOnChange(builder, () -> "kubescrape:8080");
            builder.shutdownNow(); // the server stops; a pod list still under way completes after
            assertThatCode(() -> cluster.discovered().replaceScope("", Map.of("default/web-0", new PodInfo("default", "web-0", "1",
                    Map.of(), Map.of(), List.of(), "Running", "10.0.0.1", "n1", true))))
                    .doesNotThrowAnyException();
        }
    }
}
