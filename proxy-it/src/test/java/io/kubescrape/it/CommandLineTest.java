package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.testing.Kubeconfigs;
import io.kubescrape.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line as a user meets it: help, defaults, config checks and their exit codes. */
class CommandLineTest {
    private record Run(int exit, String output) {
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", KubescrapeProcess.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("KUBECONFIG");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        Run r = run(Map.of(), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("--config", "--kubeconfig", "--listen", "127.0.0.1:8080", "--check-config",
                "~/.kube/config", "--transport");
    }

    @Test
    void theTransportIsTakenByNameOrRefusedWithTheChoices(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("cli-ca");
        Path k = new Kubeconfigs().context("dev", "https://127.0.0.1:6443", pki.caPem(), Kubeconfigs.token("tok-123"))
                .write(dir.resolve("kubeconfig"));
        Run nio = run(Map.of(), "--kubeconfig", k.toString(), "--transport", "nio", "--check-config");
        assertThat(nio.exit()).as(nio.output()).isZero();
        assertThat(nio.output()).contains("transport: nio");
        Run bad = run(Map.of(), "--kubeconfig", k.toString(), "--transport", "uring", "--check-config");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output())
                .contains("kubescrape: --transport: unknown transport 'uring'; one of [auto, io_uring, epoll, nio]");
    }

    @Test
    void withoutFlagsItUsesKubeconfigFromTheEnvironmentAndSaysSo(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("cli-ca");
        Path k = new Kubeconfigs().context("dev", "https://127.0.0.1:6443", pki.caPem(), Kubeconfigs.token("tok-123"))
                .write(dir.resolve("my-kubeconfig"));
        Run r = run(Map.of("KUBECONFIG", k.toString(), "HOME", dir.toString()), "--check-config");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("using [" + k + "]").contains("cluster dev: https://127.0.0.1:6443")
                .contains("configuration OK").doesNotContain("tok-123");
    }

    @Test
    void noKubeconfigAnywhereIsAClearError(@TempDir Path dir) throws Exception {
        Run r = run(Map.of("HOME", dir.toString()), "--check-config");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("configuration error").contains(dir.resolve(".kube/config").toString());
    }

    @Test
    void aBadConfigStopsTheStartWithFileKeyAndReason(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"),
                "clusters:\n  - name: prod\n    server: https://10.0.0.1:6443\n    upstream: {max_scrape_timeout: soon}\n");
        Run r = run(Map.of(), "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("kubescrape: configuration error: " + cfg)
                .contains("clusters[0].upstream.max_scrape_timeout").contains("not a duration");
    }

    @Test
    void insecureClustersAreWarnedAboutLoudly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("k"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: lab
                  context: {cluster: c, user: u}
                """);
        Run r = run(Map.of(), "--kubeconfig", dir.resolve("k").toString(), "--check-config");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("INSECURE").contains("NOT VERIFIED");
    }
}
