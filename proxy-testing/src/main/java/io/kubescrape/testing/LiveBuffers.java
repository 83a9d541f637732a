package io.kubescrape.testing;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Netty's leak detector, counting the buffers allocated and not yet released in this JVM. Installed for every
 * test JVM with {@code -Dio.netty.customResourceLeakDetector} (see the root pom), so a test can assert that a
 * fault left no buffer behind, not only that none was garbage-collected unreleased. The count is static
 * because Netty's detectors are: one per resource type, made once per JVM.
 */
public final class LiveBuffers<T> extends ResourceLeakDetector<T> {
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final boolean counted;

    public LiveBuffers(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        counted = ByteBuf.class.isAssignableFrom(resourceType);
        if (counted) {
            INSTALLED.set(true);
        }
    }

    /** The constructor Netty's factory looks up first; without it, it logs an error before using the one above. */
    public LiveBuffers(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Buffers allocated from a Netty allocator and not released yet, over the whole JVM. */
    public static long live() {
        if (!INSTALLED.get()) {
            throw new IllegalStateException("LiveBuffers is not Netty's leak detector in this JVM: run with "
                    + "-Dio.netty.customResourceLeakDetector=" + LiveBuffers.class.getName()
                    + " and -Dio.netty.leakDetection.level=paranoid");
        }
        return LIVE.get();
    }

    @Override
    public ResourceLeakTracker<T> track(T obj) {
        return counting(super.track(obj));
    }

    @Override
    public ResourceLeakTracker<T> trackForcibly(T obj) {
        return counting(super.trackForcibly(obj));
    }

    private ResourceLeakTracker<T> counting(ResourceLeakTracker<T> tracker) {
        if (tracker == null || !counted) {
            return tracker;
        }
        LIVE.incrementAndGet();
        return new Counted<>(tracker);
    }

    /** Decrements the count once, when the buffer is released (a buffer leaked stays counted). */
    private static final class Counted<T> implements ResourceLeakTracker<T> {
        private final ResourceLeakTracker<T> delegate;
        private final AtomicBoolean closed = new AtomicBoolean();

        Counted(ResourceLeakTracker<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void record() {
            delegate.record();
        }

        @Override
        public void record(Object hint) {
            delegate.record(hint);
        }

        @Override
        public boolean close(T trackedObject) {
            boolean closedNow = delegate.close(trackedObject);
            if (closedNow && closed.compareAndSet(false, true)) {
                LIVE.decrementAndGet();
            }
            return closedNow;
        }
    }
}
