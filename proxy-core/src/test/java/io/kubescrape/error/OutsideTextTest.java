package io.kubescrape.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutsideTextTest {
    @Test
    void controlCharactersBecomeVisibleEscapes() {
        String forged = "pods \"x\" not found\n2026-12-06T00:00:00Z INFO kubescrape all is well\u001b[2J\u0085\u2028";
        String safe = OutsideText.escape(forged);
        assertThat(safe).doesNotContain("\n", "\u001b", "\u0085", "\u2028")
                .isEqualTo("pods \"x\" not found\\n2026-12-06T00:00:00Z INFO kubescrape all is well\\u001b[2J\\u0085"
                        + "\\u2028");
        assertThat(OutsideText.escape("tab\there\r")).isEqualTo("tab\\there\\r");
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "the API server could not reach the pod: dial tcp 10.0.0.1:9100: connection refused";
        assertThat(OutsideText.escape(plain)).isSameAs(plain);
        assertThat(OutsideText.escape("ünïcödé ✓")).isEqualTo("ünïcödé ✓");
        assertThat(OutsideText.escape(null)).isNull();
    }

    @Test
    void aScrapeErrorCarriesTheEscapedTextInItsBodyAndMessage() {
        ScrapeException e = new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "bad\nWARN forged line");
        assertThat(e.getMessage()).isEqualTo("bad\\nWARN forged line");
        assertThat(e.body()).isEqualTo("API server: bad\\nWARN forged line\n").containsOnlyOnce("\n");
    }
}
