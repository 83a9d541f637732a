package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.sim.KubeSimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node of 1,100 pods: its 21 MB cAdvisor body relays intact through the real jar under -Xmx64m. */
class LargeCadvisorRelayTest {

    @Test
    void aTwentyMegabyteCadvisorBodyRelaysUnderSixtyFourMegabytesOfHeap(@TempDir Path dir) throws Exception {
        try (KubeSimServer sim = new KubeSimServer(Sims.options(1100, 0, false).withNodes(1))) {
            Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
            Path cfg = Files.writeString(dir.resolve("kubescrape.yaml"), "kubeconfigs: [{path: " + kubeconfig
                    + "}]\ncluster_defaults: {discovery: {enabled: false}}\n");
            KubescrapeProcess ks = new KubescrapeProcess(List.of("-Xmx64m"), "--config", cfg.toString(), "--listen",
                    "127.0.0.1:0");
            try {
                String direct = sim.url() + "/api/v1/nodes/node-1/proxy/metrics/cadvisor";
                byte[] before = Harness.getBytesTrusting(direct, sim.caPem(), "Authorization", "Bearer " + Sims.TOKEN);
                long t0 = System.nanoTime();
                Harness.Digest relayed = Harness.digest(ks.url() + "/clusters/kube-sim/nodes/node-1/metrics/cadvisor");
                double secs = (System.nanoTime() - t0) / 1e9;
                byte[] after = Harness.getBytesTrusting(direct, sim.caPem(), "Authorization", "Bearer " + Sims.TOKEN);
                assertThat(relayed.status()).isEqualTo(200);
                assertThat(relayed.bytes()).isGreaterThan(20L << 20);
                assertThat(List.of(Harness.sha256(before), Harness.sha256(after)))
                        .as("the relayed body is the kubelet's, byte for byte")
                        .anySatisfy(d -> assertThat(Arrays.equals(d, relayed.sha256())).isTrue());
                System.out.printf("[measure] cAdvisor of 1100 pods: %.1f MB relayed under -Xmx64m in %.2f s%n",
                        relayed.bytes() / 1048576.0, secs);
            } finally {
                assertThat(ks.stop()).isZero();
                assertThat(ks.log()).noneMatch(l -> l.contains("OutOfMemoryError"));
            }
        }
    }
}
