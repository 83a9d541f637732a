package io.kubescrape.it;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * kube-sim for a test class: started before its first test, on an ephemeral loopback port with the tests' token,
 * its kubeconfig written into a folder of its own; stopped, and the folder removed, after the last test.
 * <pre>
 * &#64;RegisterExtension &#64;Order(1)
 * static final KubeSimExtension SIM = KubeSimExtension.pods(15);
 * </pre>
 */
final class KubeSimExtension implements BeforeAllCallback, AfterAllCallback {
    private final SimOptions options;
    private KubeSimServer sim;
    private Path dir;
    private Path kubeconfig;

    private KubeSimExtension(SimOptions options) {
        this.options = options;
    }

    /** {@code pods} regular pods in namespaces default and monitoring, the fault pods (slow-0 answers after 3 s). */
    static KubeSimExtension pods(int pods) {
        return new KubeSimExtension(Sims.options(pods, 0, true));
    }

    /** Any options; the port should be 0 and the token {@link Sims#TOKEN}. */
    static KubeSimExtension with(SimOptions options) {
        return new KubeSimExtension(options);
    }

    /** The same pods, replacing {@code perMinute} of them a minute. */
    KubeSimExtension churn(int perMinute) {
        return new KubeSimExtension(Sims.options(options.pods(), perMinute, options.faultPods()));
    }

    /** The same pods, without the fault pods of namespace faults. */
    KubeSimExtension withoutFaultPods() {
        return new KubeSimExtension(Sims.options(options.pods(), options.churnPerMinute(), false));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kube-sim-" + context.getRequiredTestClass().getSimpleName());
        sim = new KubeSimServer(options);
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (sim != null) {
            sim.close();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    KubeSimServer server() {
        return sim;
    }

    /** A kubeconfig with contexts kube-sim (bearer token) and kube-sim-mtls (client certificate). */
    Path kubeconfig() {
        return kubeconfig;
    }

    /** The class's own folder, beside the kubeconfig, for config files and file_sd output. */
    Path dir() {
        return dir;
    }
}
