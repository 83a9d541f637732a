package io.kubescrape.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.CallerSpec;
import io.kubescrape.config.CallerSpec.AllowRule;
import io.kubescrape.route.ApiServerTarget;
import io.kubescrape.route.NodeEndpoint;
import io.kubescrape.route.NodeTarget;
import io.kubescrape.route.PodTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which targets a caller's rules open: a node or the API server spans the cluster, so it takes every namespace. */
class AuthorizeTest {
    private static Callers.Caller caller(AllowRule... rules) {
        return new Callers.Caller("c", new CallerSpec("c", Path.of("t"), null, null, null, List.of(rules)));
    }

    private static final NodeTarget CADVISOR = new NodeTarget("prod", "node-1", NodeEndpoint.CADVISOR);
    private static final ApiServerTarget API = new ApiServerTarget("prod");
    private static final PodTarget POD = new PodTarget("prod", "team-a", "web-0", null);

    @Test
    void aNamespaceRestrictedCallerReachesItsPodsButNoNodeAndNoApiServer() {
        Callers.Caller teamA = caller(new AllowRule("prod", List.of("team-a")));
        assertThat(teamA.mayScrape(POD)).isTrue();
        assertThat(teamA.mayScrape(CADVISOR)).as("cAdvisor shows every namespace's containers").isFalse();
        assertThat(teamA.mayScrape(API)).isFalse();
    }

    @Test
    void aPatternThatHappensToMatchEveryNamespaceIsNotAWholeClusterGrant() {
        Callers.Caller teams = caller(new AllowRule("prod", List.of("team-*")));
        assertThat(teams.mayScrape(CADVISOR)).isFalse();
        Callers.Caller star = caller(new AllowRule("prod", List.of("*")));
        assertThat(star.mayScrape(CADVISOR)).isTrue();
        assertThat(star.mayScrape(API)).isTrue();
        assertThat(star.mayScrape(new NodeTarget("dev", "node-1", NodeEndpoint.KUBELET))).as("other cluster").isFalse();
    }

    @Test
    void aRuleWithoutNamespacesAllowsTheWholeClusterAndCallersOffAllowEverything() {
        assertThat(caller(new AllowRule("pr*", null)).mayScrape(CADVISOR)).isTrue();
        assertThat(Callers.Caller.ANYONE.mayScrape(CADVISOR)).isTrue();
    }
}
