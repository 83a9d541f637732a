package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.UpstreamSettings;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScrapeTimeoutTest {
    private static final UpstreamSettings S = UpstreamSettings.BUILTIN; // max 30s, margin 250ms

    private static long millis(String header) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (header != null) {
            h.set(UpstreamRequests.SCRAPE_TIMEOUT_HEADER, header);
        }
        return Duration.ofNanos(ScrapeTimeout.nanos(h, S)).toMillis();
    }

    @Test
    void honoursPrometheusTimeoutLessMargin() {
        assertThat(millis("10")).isEqualTo(9750);
        assertThat(millis("2.5")).isEqualTo(2250);
    }

    @Test
    void capsAtConfiguredMaximumAndIgnoresNonsense() {
        assertThat(millis("120")).isEqualTo(30_000);
        assertThat(millis(null)).isEqualTo(30_000);
        assertThat(millis("abc")).isEqualTo(30_000);
        assertThat(millis("-3")).isEqualTo(30_000);
        assertThat(millis("NaN")).isEqualTo(30_000);
        assertThat(millis("0.1")).isEqualTo(100);
    }

    @Test
    void formatsSecondsCompactly() {
        assertThat(UpstreamRequests.formatSeconds(9.75)).isEqualTo("9.75");
        assertThat(UpstreamRequests.formatSeconds(10)).isEqualTo("10");
        assertThat(UpstreamRequests.formatSeconds(0.05)).isEqualTo("0.05");
        assertThat(UpstreamRequests.formatSeconds(2.001)).isEqualTo("2.001");
        assertThat(UpstreamRequests.formatSeconds(119.5)).isEqualTo("119.5");
        assertThat(UpstreamRequests.formatSeconds(0.0004)).isEqualTo("0");
    }
}
