package io.kubescrape.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AggregateTargetTest {
    @Test
    void onlyAClusterOrANamespaceFollowedByMetricsIsAnAggregatePath() {
        assertThat(AggregateTarget.matches("/clusters/prod/metrics")).isTrue();
        assertThat(AggregateTarget.matches("/clusters/prod/ns/web/metrics")).isTrue();
        assertThat(AggregateTarget.matches("/clusters/prod/ns//metrics")).isTrue(); // parse names the fault
        assertThat(AggregateTarget.matches("/clusters/prod/ns/web/pods/web-0/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/prod/nodes/n1/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/prod/nx/web/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/prod/ns/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/prod/apiserver/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/metrics")).isFalse();
        assertThat(AggregateTarget.matches("/clusters/prod/ns/web/metrics/x")).isFalse();
        assertThat(AggregateTarget.matches("/sd")).isFalse();
    }
}
