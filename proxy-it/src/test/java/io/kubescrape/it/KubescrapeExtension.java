package io.kubescrape.it;

import io.kubescrape.server.lifecycle.ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * kubescrape, in this JVM, for a test class: started against a {@link KubeSimExtension}'s kubeconfig on an
 * ephemeral loopback port before the first test (register it after the simulator, with a higher {@code @Order}),
 * closed after the last.
 */
final class KubescrapeExtension implements BeforeAllCallback, AfterAllCallback {
    private final KubeSimExtension sim;
    private final String fileSd;
    private Harness.Running running;

    private KubescrapeExtension(KubeSimExtension sim, String fileSd) {
        this.sim = sim;
        this.fileSd = fileSd;
    }

    static KubescrapeExtension against(KubeSimExtension sim) {
        return new KubescrapeExtension(sim, null);
    }

    /** The same, also writing file_sd targets to {@code name} in the simulator's folder. */
    KubescrapeExtension withFileSd(String name) {
        return new KubescrapeExtension(sim, name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        running = Harness.start(sim.kubeconfig(), fileSd());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (running != null) {
            running.close();
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    String url() {
        return running.url();
    }

    ProxyServer server() {
        return running.server();
    }

    /** Where file_sd targets are written, or null. */
    Path fileSd() {
        return fileSd == null ? null : sim.dir().resolve(fileSd);
    }
}
