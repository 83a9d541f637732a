package io.kubescrape.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeStageTest {
    @Test
    void aScrapeWalksTheStagesInOrder() {
        ScrapeStage s = ScrapeStage.RESOLVE;
        List<String> seen = new ArrayList<>(List.of(s.stage));
        for (ScrapeStage next : List.of(ScrapeStage.ADMIT, ScrapeStage.ACQUIRE, ScrapeStage.RELAY_HEAD,
                ScrapeStage.RELAY_BODY, ScrapeStage.COMPLETE)) {
            s = s.to(next);
            if (!seen.get(seen.size() - 1).equals(s.stage)) {
                seen.add(s.stage);
            }
        }
        assertThat(seen).containsExactly("RESOLVE", "ADMIT", "ACQUIRE", "RELAY", "COMPLETE");
    }

    @Test
    void everyStageMayEndTheScrapeAndNothingFollowsTheEnd() {
        for (ScrapeStage s : ScrapeStage.values()) {
            assertThat(s.allows(ScrapeStage.COMPLETE)).as(s.name()).isEqualTo(s != ScrapeStage.COMPLETE);
            assertThat(ScrapeStage.COMPLETE.allows(s)).as(s.name()).isFalse();
        }
    }

    @Test
    void onlyARelayWithNothingSentGoesBackToAcquire() {
        assertThat(ScrapeStage.RELAY_HEAD.allows(ScrapeStage.ACQUIRE)).isTrue();
        assertThat(ScrapeStage.RELAY_BODY.allows(ScrapeStage.ACQUIRE)).isTrue();
        assertThat(ScrapeStage.ADMIT.allows(ScrapeStage.RESOLVE)).isFalse();
        assertThat(ScrapeStage.RESOLVE.allows(ScrapeStage.ACQUIRE)).as("no scrape skips ADMIT").isFalse();
        assertThat(ScrapeStage.ACQUIRE.allows(ScrapeStage.RELAY_BODY)).as("no body before a head").isFalse();
        assertThatThrownBy(() -> ScrapeStage.RESOLVE.to(ScrapeStage.RELAY_HEAD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RESOLVE to RELAY_HEAD");
    }
}
