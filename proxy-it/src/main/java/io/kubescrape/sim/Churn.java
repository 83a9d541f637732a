package io.kubescrape.sim;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --churn N}: N times a minute, deletes a random regular pod and adds a new one with the next name,
 * so the pod count stays put while watches see ADDED and DELETED events.
 */
final class Churn {
    private final ObjectStore<SimPod> store;
    private final PodProxy proxy;
    private final SimOptions options;
    private final AtomicInteger nextIndex;
    private final Random random = new Random(42);

    /** New pods get the indexes after the first {@code options.pods()}. */
    Churn(ObjectStore<SimPod> store, PodProxy proxy, SimOptions options) {
        this.store = store;
        this.proxy = proxy;
        this.options = options;
        this.nextIndex = new AtomicInteger(options.pods());
    }

    void start(ScheduledExecutorService executor, int perMinute) {
        long every = Math.max(1, 60_000L / perMinute);
        executor.scheduleAtFixedRate(this::step, every, every, TimeUnit.MILLISECONDS);
    }

    void step() {
        List<SimPod> regular = store.all().stream().filter(p -> p.fault() == SimPod.Fault.NONE).toList();
        if (!regular.isEmpty()) {
            SimPod victim = regular.get(random.nextInt(regular.size()));
            if (store.delete(victim.key()) != null) {
                proxy.forget(victim);
            }
        }
        int i = nextIndex.getAndIncrement();
        store.add(PodFactory.regular(i, options.namespaces(), options.nodes(), store.nextResourceVersion(),
                options.labelsOf(i)));
    }
}
