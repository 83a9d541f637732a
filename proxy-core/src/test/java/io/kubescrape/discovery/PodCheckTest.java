package io.kubescrape.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodCheckTest {
    private static PodInfo pod(String ns, String name, ContainerPort... ports) {
        return new PodInfo(ns, name, "1", Map.of(), Map.of(), List.of(ports), "Running", "10.0.0.1", "n1", true);
    }

    @Test
    void whatAConformingApiServerSendsIsUsable() {
        assertThat(PodCheck.problem(pod("kube-system", "coredns-5d78c9869d-x2x7q",
                new ContainerPort("c", "metrics", 9153, "TCP")))).isNull();
        assertThat(PodCheck.problem(pod("web", "web-0.shard-1", new ContainerPort("c", null, 8080, "TCP")))).isNull();
    }

    @Test
    void everyNameThatCannotBePartOfAUrlIsRejectedWithItsReason() {
        for (String name : new String[] {"UPPER-0", "has space", "a/b", "..", "", "x".repeat(300), "web-0\n"}) {
            assertThat(PodCheck.problem(pod("default", name))).as(name).isEqualTo("invalid_name");
        }
        assertThat(PodCheck.problem(pod("Bad NS", "web-0"))).isEqualTo("invalid_namespace");
        assertThat(PodCheck.problem(pod("a.b", "web-0"))).as("a namespace is a label, no dots").isEqualTo(
                "invalid_namespace");
        assertThat(PodCheck.problem(pod("web", "web-0", new ContainerPort("c", "metrics/..", 9100, "TCP"))))
                .isEqualTo("invalid_port");
        assertThat(PodCheck.problem(pod("web", "web-0", new ContainerPort("c", "metrics", 70000, "TCP"))))
                .isEqualTo("invalid_port");
    }
}
