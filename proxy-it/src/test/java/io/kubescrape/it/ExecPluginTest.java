package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubeconfig exec plugin issuing expiring tokens, against an API server that accepts only recent ones: tokens are
 * refreshed before they expire, and a revoked one is replaced after the 401 and the scrape retried — no scrape fails.
 */
class ExecPluginTest {
    /** Scrapes through an exec-plugin cluster whose tokens expire after {@code ttl}; returns the failures. */
    private static int scrapeThrough(Path dir, String ttl, KubeSimServer sim, Runnable atHalfway) throws Exception {
        Path plugin = dir.resolve("exec-plugin.sh");
        Files.copy(ExecPluginTest.class.getResourceAsStream("/exec-plugin.sh"), plugin);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "%s", certificate-authority-data: %s}
                users:
                - name: u
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./exec-plugin.sh
                      env: [{name: STATE, value: "%s"}, {name: TTL, value: "%s"}]
                      interactiveMode: Never
                contexts:
                - name: eks-like
                  context: {cluster: c, user: u}
                """.formatted(sim.url(), TestPki.base64(sim.caPem()), dir.resolve("state"), ttl));
        try (Harness.Running ks = Harness.start(dir.resolve("kubeconfig"))) {
            String url = ks.url() + "/clusters/eks-like/ns/default/pods/web-0/metrics";
            int failed = 0;
            for (int i = 0; i < 40; i++) {
                if (i == 20) {
                    atHalfway.run();
                }
                failed += Harness.get(url).statusCode() == 200 ? 0 : 1;
                Thread.sleep(100);
            }
            return failed;
        }
    }

    private static int runs(Path dir) throws Exception {
        return Integer.parseInt(Files.readString(dir.resolve("state")).trim());
    }

    @Test
    void expiringTokensAreRefreshedAheadWhileTheServerRotates(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(5, 0, false)) {
            // The server accepts only the two newest tokens the plugin has issued.
            sim.acceptTokens(t -> {
                try {
                    return t.startsWith("tok-") && Integer.parseInt(t.substring(4)) >= runs(dir) - 1;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(scrapeThrough(dir, "3", sim, () -> { })).as("failed scrapes across rotations").isZero();
            assertThat(runs(dir)).as("refreshed ahead of each 3 s expiry").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aRevokedTokenIsReplacedAfterThe401AndTheScrapeRetried(@TempDir Path dir) throws Exception {
        AtomicInteger oldestAccepted = new AtomicInteger(1);
        try (KubeSimServer sim = Sims.start(5, 0, false)) {
            sim.acceptTokens(t -> t.startsWith("tok-") && Integer.parseInt(t.substring(4)) >= oldestAccepted.get());
            int failed = scrapeThrough(dir, "3600", sim, () -> oldestAccepted.set(2)); // revoke tok-1
            assertThat(failed).as("failed scrapes across the revocation").isZero();
            assertThat(runs(dir)).as("one run at start, one after the 401").isEqualTo(2);
        }
    }

    @Test
    void aFailingPluginIsAClearStartError(@TempDir Path dir) throws Exception {
        Path plugin = Files.writeString(dir.resolve("broken.sh"), "#!/bin/sh\necho 'no credentials for you' >&2\nexit 3\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: %s}}}]
                contexts: [{name: broken, context: {cluster: c, user: u}}]
                """.formatted(plugin));
        Throwable t = Assertions.catchThrowable(() -> Harness.start(dir.resolve("kubeconfig")));
        assertThat(t).hasMessageContaining("exec plugin " + plugin).hasMessageContaining("cluster broken")
                .hasMessageContaining("exit code 3").hasMessageContaining("no credentials for you");
    }
}
