package io.kubescrape.bench;

import io.kubescrape.sim.KubeSimServer;
import java.util.function.Predicate;

/**
 * The discovery benchmark's other roles: /sd for every role at once, and how soon a node or a Service endpoint that
 * comes or goes in cluster c0 shows in /sd (polled every 10 ms; the goal is 2 s).
 */
final class RoleTimes {
    private static final long POLL_MILLIS = 10;
    private static final long GIVE_UP_MILLIS = 10_000;

    private RoleTimes() {
    }

    static void report(String url, KubeSimServer c0) throws Exception {
        String all = url + "/sd?role=pod,node,apiserver,endpoints";
        double server = DiscoveryBenchmark.serverSide(url);
        long t0 = System.nanoTime();
        String body = DiscoveryBenchmark.get(all).body();
        double endToEnd = (System.nanoTime() - t0) / 1e6;
        server = DiscoveryBenchmark.serverSide(url) - server;
        long targets = body.split("\"targets\"", -1).length - 1;
        System.out.printf("/sd?role=pod,node,apiserver,endpoints: %d targets, %.1f MB; kubescrape's time %.0f ms, end to "
                + "end %.0f ms%n", targets, body.length() / 1e6, server, endToEnd);
        String nodes = url + "/sd?role=node&cluster=c0&endpoint=kubelet";
        String endpoints = url + "/sd?role=endpoints&cluster=c0&namespace=default";
        System.out.printf("a node added: in /sd after %d ms%n", until(nodes, b -> b.contains("\"node-9999\""),
                () -> c0.addNode(9999)));
        System.out.printf("a node deleted: gone from /sd after %d ms%n", until(nodes, b -> !b.contains("\"node-9999\""),
                () -> c0.deleteNode("node-9999")));
        System.out.printf("a Service endpoint's pod deleted: gone from /sd after %d ms%n",
                until(endpoints, b -> !b.contains("\"api-0\""), () -> c0.deletePod("default/api-0")));
        System.out.printf("a Service endpoint's pod added: in /sd after %d ms%n",
                until(endpoints, b -> b.contains("\"api-0\""), () -> c0.addPod(1)));
    }

    /** Makes the change, then polls until the document shows it; the milliseconds it took, or -1. */
    private static long until(String url, Predicate<String> shown, Runnable change) throws Exception {
        long t0 = System.nanoTime();
        change.run();
        while ((System.nanoTime() - t0) / 1_000_000 < GIVE_UP_MILLIS) {
            if (shown.test(DiscoveryBenchmark.get(url).body())) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return -1;
    }
}
