package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ApiStatusTest {
    private static ScrapeException mapped(String fixture) {
        ApiStatus s = ApiStatus.parse(Fixtures.bytes("k8s/" + fixture));
        assertThat(s).isNotNull();
        return s.toFailure("prod", "get on pods/proxy");
    }

    @Test
    void mapsTheApiServersOwnErrors() {
        assertThat(mapped("status-401.json").outcome()).isEqualTo(ScrapeOutcome.UPSTREAM_UNAUTHORIZED);
        ScrapeException forbidden = mapped("status-403-pods-proxy.json");
        assertThat(forbidden.outcome()).isEqualTo(ScrapeOutcome.UPSTREAM_FORBIDDEN);
        assertThat(forbidden.outcome().status()).isEqualTo(502);
        assertThat(forbidden.getMessage()).contains("get on pods/proxy").contains("cluster prod");
        ScrapeException missing = mapped("status-404-pod.json");
        assertThat(missing.outcome().status()).isEqualTo(404);
        assertThat(missing.body()).startsWith("API server: pods \"ghost\" not found");
        ScrapeException dial = mapped("status-503-dial.json");
        assertThat(dial.outcome()).isEqualTo(ScrapeOutcome.POD_UNREACHABLE);
        assertThat(dial.body()).startsWith("pod: ").contains("connection refused");
    }

    @Test
    void aPodsOwnJsonIsNotAStatus() {
        assertThat(ApiStatus.parse("{\"error\":\"nope\"}".getBytes())).isNull();
        assertThat(ApiStatus.parse("not json".getBytes())).isNull();
        assertThat(ApiStatus.parse(Fixtures.bytes("k8s/pod.json"))).isNull();
    }
}
