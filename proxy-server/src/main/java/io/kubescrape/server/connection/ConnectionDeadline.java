package io.kubescrape.server.connection;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A downstream connection's one running time limit: idle between requests, the headers of the next request,
 * or the scrape being served. Each phase replaces the limit and what happens when it runs out.
 *
 * <p>Setting a limit costs two field writes, not a scheduled task: the timer already armed is kept when it fires
 * no later than the new limit, and when it fires early it re-arms for the limit then in force. So a busy
 * keep-alive connection schedules about one task per timeout period instead of two per request.
 */
final class ConnectionDeadline implements Runnable {
    private static final long NONE = Long.MAX_VALUE;

    private final EventLoop loop;
    private long deadline = NONE;
    private Runnable onExpiry;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private boolean closed;

    ConnectionDeadline(EventLoop loop) {
        this.loop = loop;
    }

    /** From now on, {@code onExpiry} runs once on the loop unless another limit or {@link #clear()} comes first. */
    void set(long timeoutNanos, Runnable onExpiry) {
        if (closed) {
            return;
        }
        long now = loop.ticker().nanoTime();
        this.deadline = timeoutNanos >= NONE - now ? NONE - 1 : now + timeoutNanos;
        this.onExpiry = onExpiry;
        if (timer == null || timerAt - deadline > 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            arm(now);
        }
    }

    /** No limit until the next {@link #set}; an armed timer fires and finds nothing to do. */
    void clear() {
        deadline = NONE;
        onExpiry = null;
    }

    /** The connection closed: no more timers. */
    void close() {
        closed = true;
        clear();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        timer = null;
        if (deadline == NONE) {
            return;
        }
        long now = loop.ticker().nanoTime();
        if (now - deadline >= 0) {
            Runnable action = onExpiry;
            clear();
            action.run();
        } else {
            arm(now);
        }
    }

    private void arm(long now) {
        timerAt = deadline;
        timer = loop.schedule(this, deadline - now, TimeUnit.NANOSECONDS);
    }
}
