package io.kubescrape.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.UpstreamSettings;
import org.junit.jupiter.api.Test;

class SharesTest {
    @Test
    void aTargetAndACallerEachHaveTheirCap() {
        Shares s = new Shares(3, 2);
        assertThat(s.take("eu", "/a")).isNull();
        assertThat(s.take("eu", "/a")).isNull();
        assertThat(s.take("eu", "/a")).as("a third scrape of one target").isEqualTo(Shares.TARGET);
        assertThat(s.take("eu", "/b")).isNull();
        assertThat(s.take("eu", "/c")).as("a fourth scrape of one caller").isEqualTo(Shares.CALLER);
        assertThat(s.take("us", "/c")).as("another caller is not held back").isNull();
        s.giveBack("eu", "/a");
        assertThat(s.take("eu", "/c")).as("a share given back is free again").isNull();
    }

    @Test
    void withoutCallersOnlyTheTargetCapHolds() {
        Shares s = new Shares(1, 2);
        assertThat(s.take(null, "/a")).isNull();
        assertThat(s.take(null, "/b")).isNull();
        assertThat(s.take(null, "/c")).isNull();
        assertThat(s.take(null, "/a")).isNull();
        assertThat(s.take(null, "/a")).isEqualTo(Shares.TARGET);
    }

    @Test
    void aRefusedTakeHoldsNothing() {
        Shares s = new Shares(1, 5);
        assertThat(s.take("eu", "/a")).isNull();
        assertThat(s.take("eu", "/b")).isEqualTo(Shares.CALLER);
        s.giveBack("eu", "/a");
        assertThat(s.take("us", "/b")).isNull();
        assertThat(s.take("us", "/b")).as("the refused take did not keep /b's count").isEqualTo(Shares.CALLER);
    }

    @Test
    void theDefaultShareIsHalfOfWhatTheClusterCarries() {
        assertThat(UpstreamSettings.BUILTIN.perCallerLimit()).as("half of min(256 scrapes, 64 connections)")
                .isEqualTo(32);
        assertThat(UpstreamSettings.BUILTIN.maxConcurrentPerTarget()).isEqualTo(8);
    }
}
