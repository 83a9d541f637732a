package io.kubescrape.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeNamesTest {
    @Test
    void labels() {
        assertThat(KubeNames.isDns1123Label("kube-system")).isTrue();
        assertThat(KubeNames.isDns1123Label("a".repeat(63))).isTrue();
        assertThat(KubeNames.isDns1123Label("a".repeat(64))).isFalse();
        assertThat(KubeNames.isDns1123Label("a.b")).isFalse();
        assertThat(KubeNames.isDns1123Label("-a")).isFalse();
        assertThat(KubeNames.isDns1123Label("a-")).isFalse();
        assertThat(KubeNames.isDns1123Label("A")).isFalse();
        assertThat(KubeNames.isDns1123Label("")).isFalse();
    }

    @Test
    void subdomains() {
        assertThat(KubeNames.isDns1123Subdomain("web-0.default")).isTrue();
        assertThat(KubeNames.isDns1123Subdomain("a..b")).isFalse();
        assertThat(KubeNames.isDns1123Subdomain(".a")).isFalse();
        assertThat(KubeNames.isDns1123Subdomain("a.")).isFalse();
    }

    @Test
    void portNames() {
        assertThat(KubeNames.isPortName("metrics")).isTrue();
        assertThat(KubeNames.isPortName("http-metrics")).isTrue();
        assertThat(KubeNames.isPortName("9102")).isFalse();
        assertThat(KubeNames.isPortName("a--b")).isFalse();
        assertThat(KubeNames.isPortName("abcdefghijklmnop")).isFalse();
    }

    @Test
    void contextNamesBecomeUrlSafeClusterNames() {
        assertThat(KubeNames.toClusterName("arn:aws:eks:us-east-1:123456789012:cluster/prod"))
                .isEqualTo("arn-aws-eks-us-east-1-123456789012-cluster-prod");
        assertThat(KubeNames.toClusterName("kubernetes-admin@kubernetes")).isEqualTo("kubernetes-admin@kubernetes");
        assertThat(KubeNames.toClusterName("gke_proj_europe-west1_main")).isEqualTo("gke_proj_europe-west1_main");
        assertThat(KubeNames.isClusterName(KubeNames.toClusterName("  weird / name ")) ).isTrue();
    }
}
