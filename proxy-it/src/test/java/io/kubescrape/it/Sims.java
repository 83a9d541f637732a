package io.kubescrape.it;

import io.kubescrape.sim.KubeSimServer;
import io.kubescrape.sim.SimOptions;
import java.util.List;

/** kube-sim options for tests: loopback, ephemeral port, a known token, fast fault pods. */
final class Sims {
    static final String TOKEN = "sim-test-token";

    private Sims() {
    }

    static KubeSimServer start(int pods, int churnPerMinute) throws Exception {
        return start(pods, churnPerMinute, true);
    }

    static KubeSimServer start(int pods, int churnPerMinute, boolean faultPods) throws Exception {
        return new KubeSimServer(options(pods, churnPerMinute, faultPods));
    }

    /** Regular pods in default and monitoring, the fault pods when asked (slow-0 answers after 3 s). */
    static SimOptions options(int pods, int churnPerMinute, boolean faultPods) {
        return new SimOptions("127.0.0.1", 0, pods, List.of("default", "monitoring"), 2048, null,
                churnPerMinute, TOKEN, null, List.of(), null, 3000, faultPods);
    }
}
