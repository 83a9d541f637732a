package io.kubescrape.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class in which Netty's leak detector reported a leak. The detector logs "LEAK:" when a buffer
 * it tracked is garbage-collected unreleased, and only notices on a later allocation: after each class this forces
 * GCs and allocations, then fails if any report arrived. Registered for every test class (junit-platform.properties
 * with extension autodetection); reports are gathered by the {@link Reports} appender of logback-test.xml.
 */
public final class LeakCheck implements AfterAllCallback {
    private static final CopyOnWriteArrayList<String> LEAKS = new CopyOnWriteArrayList<>();

    /** The Logback appender that collects leak reports (wired in each module's logback-test.xml). */
    public static final class Reports extends AppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            String m = event.getFormattedMessage();
            if (m != null && m.contains("LEAK:")) {
                LEAKS.add(m.length() > 2000 ? m.substring(0, 2000) : m);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            String first = LEAKS.get(0);
            int n = LEAKS.size();
            LEAKS.clear();
            throw new AssertionError(n + " Netty buffer leak(s) reported during " + context.getDisplayName()
                    + "; the first:\n" + first);
        }
    }
}
