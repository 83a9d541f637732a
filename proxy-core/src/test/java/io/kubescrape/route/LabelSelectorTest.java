package io.kubescrape.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "app.kubernetes.io/name", "x");

    @Test
    void everyOperatorOfKubernetesSyntax() {
        assertThat(LabelSelector.parse("app=web,tier!=cache").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("app==web").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("app!=web").test(WEB)).isFalse();
        assertThat(LabelSelector.parse("env in (a,b)").test(WEB)).isFalse();
        assertThat(LabelSelector.parse("tier in (front, back)").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier notin (back)").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("env notin (prod)").test(WEB)).as("absent is not in").isTrue();
        assertThat(LabelSelector.parse("!x").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("!app").test(WEB)).isFalse();
        assertThat(LabelSelector.parse("app").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("app.kubernetes.io/name=x").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("").test(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier!=x").test(Map.of())).as("absent is not equal").isTrue();
        assertThat(LabelSelector.parse("app=").test(Map.of("app", ""))).as("an empty value is a value").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"=web", "app=web,", "app=web,,tier=x", "app=we b", "app in (a", "app in a",
        "app out (a)", "-app=web", "app=web-", "a/b/c=d", "Bad_Prefix./x=y", "app=\"web\"", "app=web;x", "app in ()",
        "app =! web"})
    void refusesWhatKubernetesRefuses(String s) {
        assertThatThrownBy(() -> LabelSelector.parse(s)).isInstanceOf(IllegalArgumentException.class);
    }
}
