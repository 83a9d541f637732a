package io.kubescrape.server.scrape;

import io.netty.channel.EventLoop;

/** Continues a scrape on its event loop when a future completes elsewhere: now when already there, else as a task. */
public final class OnLoop {
    private OnLoop() {
    }

    public static void run(EventLoop loop, Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }
}
