package io.kubescrape.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The namespace globs of callers and of scrape.namespaces / exclude_namespaces: '*' is the only wildcard. */
class NamespaceGlobTest {

    @Test
    void aStarMatchesAnyRunOfCharactersIncludingNone() {
        assertThat(CallerSpec.glob("*", "")).isTrue();
        assertThat(CallerSpec.glob("*", "kube-system")).isTrue();
        assertThat(CallerSpec.glob("team-*", "team-")).isTrue();
        assertThat(CallerSpec.glob("team-*", "team-a")).isTrue();
        assertThat(CallerSpec.glob("*-prod", "web-prod")).isTrue();
        assertThat(CallerSpec.glob("a*b*c", "abc")).isTrue();
        assertThat(CallerSpec.glob("a*b*c", "a-b-b-c")).isTrue();
        assertThat(CallerSpec.glob("a*bc", "abcbc")).as("backtracks past a false start").isTrue();
        assertThat(CallerSpec.glob("**x", "yyx")).isTrue();
    }

    @Test
    void everythingElseMatchesOnlyItselfAndWhole() {
        assertThat(CallerSpec.glob("web", "web")).isTrue();
        assertThat(CallerSpec.glob("web", "web2")).isFalse();
        assertThat(CallerSpec.glob("web", "we")).isFalse();
        assertThat(CallerSpec.glob("team-*", "teamx")).isFalse();
        assertThat(CallerSpec.glob("*-prod", "web-prod-2")).isFalse();
        assertThat(CallerSpec.glob("a*b*c", "acb")).isFalse();
        assertThat(CallerSpec.glob("a.c", "abc")).as("a dot is a dot, not a regex").isFalse();
        assertThat(CallerSpec.glob("a+", "aa")).isFalse();
        assertThat(CallerSpec.glob("", "")).isTrue();
        assertThat(CallerSpec.glob("", "a")).isFalse();
    }

    @Test
    void aNamespaceIsScrapedWhenIncludedAndNotExcluded() {
        ScrapeSettings s = new ScrapeSettings("metrics", null, "/metrics", "http", List.of("/"),
                List.of("team-*", "monitoring"), List.of("team-secret*"));
        assertThat(s.scrapes("team-a")).isTrue();
        assertThat(s.scrapes("monitoring")).isTrue();
        assertThat(s.scrapes("team-secrets")).isFalse();
        assertThat(s.scrapes("default")).isFalse();
        assertThat(ScrapeSettings.BUILTIN.scrapes("anything")).isTrue();
    }
}
