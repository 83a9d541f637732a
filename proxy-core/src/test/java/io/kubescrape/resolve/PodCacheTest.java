package io.kubescrape.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PodCacheTest {
    private final PodCache cache = new PodCache(Duration.ofMinutes(1), Duration.ofSeconds(5), 100);
    private final AtomicInteger fetches = new AtomicInteger();

    private static PodInfo pod(String name) {
        return new PodInfo("web", name, "1", Map.of(), Map.of(), List.of(new ContainerPort("app", "metrics", 9100,
                "TCP")), "Running", "10.0.0.9", "n1", true);
    }

    @Test
    void concurrentLookupsShareOneFetchAndGetNowSeesOnlyAFinishedAnswer() {
        CompletableFuture<PodInfo> fetch = new CompletableFuture<>();
        CompletableFuture<PodInfo> a = cache.get("web", "web-0", () -> {
            fetches.incrementAndGet();
            return fetch;
        });
        CompletableFuture<PodInfo> b = cache.get("web", "web-0", () -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(pod("other"));
        });
        assertThat(cache.getNow("web", "web-0")).as("still fetching").isNull();
        fetch.complete(pod("web-0"));
        assertThat(fetches).hasValue(1);
        assertThat(a.join().name()).isEqualTo("web-0");
        assertThat(b.join().name()).isEqualTo("web-0");
        assertThat(cache.getNow("web", "web-0").name()).isEqualTo("web-0");
        assertThat(cache.getNow("web", "web-1")).as("never looked up").isNull();
    }

    @Test
    void aMissingPodIsRememberedAsMissingAndOtherFailuresAreNot() {
        CompletableFuture<PodInfo> gone = cache.get("web", "gone", () -> CompletableFuture.failedFuture(
                new ScrapeException(ScrapeOutcome.UNKNOWN_POD, "no pod web/gone")));
        assertThatThrownBy(gone::join).hasCauseInstanceOf(ScrapeException.class);
        assertThat(cache.getNow("web", "gone")).as("a remembered 404 is not a pod").isNull();
        cache.get("web", "gone", () -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(pod("gone"));
        });
        assertThat(fetches).as("the 404 is cached for the negative TTL").hasValue(0);

        cache.get("web", "flaky", () -> CompletableFuture.failedFuture(
                new ScrapeException(ScrapeOutcome.UPSTREAM_CONNECT, "connection reset")));
        assertThat(cache.getNow("web", "flaky")).isNull();
        assertThat(cache.get("web", "flaky", () -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(pod("flaky"));
        }).join().name()).isEqualTo("flaky");
        assertThat(fetches).as("a failure other than 404 is fetched again").hasValue(1);
    }
}
