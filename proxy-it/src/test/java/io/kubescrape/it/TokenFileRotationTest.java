package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token file rotated (as projected service-account tokens are) while the API server accepts only the newest. */
class TokenFileRotationTest {
    @Test
    void rotationsCostNoScrape(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = Sims.start(5, 0, false)) {
            AtomicReference<String> current = new AtomicReference<>("token-0");
            sim.acceptTokens(t -> t.equals(current.get()));
            Path token = Files.writeString(dir.resolve("token"), "token-0\n");
            Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "%s", certificate-authority-data: %s}}]
                    users: [{name: u, user: {tokenFile: token}}]
                    contexts: [{name: sa, context: {cluster: c, user: u}}]
                    """.formatted(sim.url(), TestPki.base64(sim.caPem())));
            try (Harness.Running ks = Harness.start(dir.resolve("kubeconfig"))) {
                String url = ks.url() + "/clusters/sa/ns/default/pods/web-0/metrics";
                int failed = 0;
                for (int i = 1; i <= 30; i++) {
                    if (i % 10 == 0) {
                        // Rotate as the kubelet does (a new file moved into place) and revoke the old token at once.
                        String next = "token-" + i;
                        Path tmp = Files.writeString(dir.resolve("token.tmp"), next + "\n");
                        Files.move(tmp, token, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        current.set(next);
                    }
                    failed += Harness.get(url).statusCode() == 200 ? 0 : 1;
                    Thread.sleep(50);
                }
                assertThat(failed).as("failed scrapes across three rotations").isZero();
            }
        }
    }
}
