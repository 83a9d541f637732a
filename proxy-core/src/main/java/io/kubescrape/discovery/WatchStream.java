package io.kubescrape.discovery;

import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamExchange;
import io.kubescrape.upstream.UpstreamLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;

/**
 * One watch request on a pooled channel: splits the chunked body into lines and hands each parsed event to the
 * watcher. Ends cleanly when the server ends the response (the channel goes back to the pool), or with the
 * reason it broke. Runs on the watcher's event loop.
 */
final class WatchStream<T> implements UpstreamExchange {
    private static final int MAX_LINE = 16 * 1024 * 1024;

    /** What a watch stream reports to its watcher. */
    interface Listener<T> {
        /** The server accepted the watch (200). */
        void onStarted();

        void onEvent(WatchEvent<T> event);

        /** The stream ended: {@code failure} null means the server closed it in good order. */
        void onEnd(String failure, int httpStatus, byte[] errorBody);
    }

    private final UpstreamChannelPool pool;
    private final Listener<T> listener;
    private final ObjectKind<T> kind;
    private UpstreamLink channel;
    private HttpResponse response;
    private CompositeByteBuf pending;
    private boolean ended;
    private boolean notified;

    WatchStream(UpstreamChannelPool pool, ObjectKind<T> kind, Listener<T> listener) {
        this.pool = pool;
        this.kind = kind;
        this.listener = listener;
    }

    void start(FullHttpRequest request) {
        pool.acquire(false).addListener(f -> {
            if (!f.isSuccess()) {
                end(String.valueOf(f.cause().getMessage()), 0, null);
                return;
            }
            UpstreamLink ch = (UpstreamLink) f.getNow();
            if (ended) {
                pool.release(ch);
                return;
            }
            channel = ch;
            ch.attach(this);
            ch.send(request);
        });
    }

    /**
     * Stops the watch (stalled, or the cluster is going away) without telling the watcher, which asked for it;
     * its connection cannot be reused mid-stream.
     */
    void abort() {
        UpstreamLink ch = channel;
        channel = null;
        ended = true;
        release();
        if (ch != null) {
            pool.discard(ch);
        }
    }

    @Override
    public void onResponse(HttpResponse r) {
        response = r;
        release(); // a stream has one response; anything held from before is let go
        pending = channel.alloc().compositeBuffer(Integer.MAX_VALUE);
        if (r.status().code() == 200) {
            listener.onStarted();
        }
    }

    @Override
    public void onContent(HttpContent content) {
        if (ended || pending == null) {
            content.release();
            return;
        }
        pending.addComponent(true, content.content().retain());
        content.release();
        boolean last = content instanceof LastHttpContent;
        if (response.status().code() != 200) {
            if (last || pending.readableBytes() > 64 * 1024) {
                byte[] body = ByteBufUtil.getBytes(pending);
                finish(last && HttpUtil.isKeepAlive(response));
                end("the API server answered " + response.status(), response.status().code(), body);
            }
            return;
        }
        int eol;
        while (!ended && (eol = pending.indexOf(pending.readerIndex(), pending.writerIndex(), (byte) '\n')) >= 0) {
            ByteBuf line = pending.readSlice(eol - pending.readerIndex());
            pending.skipBytes(1);
            if (line.readableBytes() > 0) {
                try {
                    listener.onEvent(WatchEvent.parse(ByteBufUtil.getBytes(line), kind));
                } catch (IOException e) {
                    abort();
                    end("unreadable watch event: " + e.getMessage(), 200, null);
                    return;
                }
            }
        }
        if (ended) {
            return;
        }
        pending.discardReadComponents();
        if (pending.readableBytes() > MAX_LINE) {
            abort();
            end("a watch event longer than " + MAX_LINE + " bytes", 200, null);
        } else if (last) {
            finish(HttpUtil.isKeepAlive(response));
            end(null, 200, null);
        }
    }

    @Override
    public void onReadComplete() {
        if (channel != null && !ended) {
            channel.read();
        }
    }

    @Override
    public void onBroken(Throwable cause) {
        channel = null;
        release();
        end("the watch connection broke: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage()), 0, null);
    }

    private void finish(boolean reusable) {
        UpstreamLink ch = channel;
        channel = null;
        release();
        pool.giveBack(ch, reusable);
    }

    private void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** Tells the watcher once how the stream ended. */
    private void end(String failure, int status, byte[] body) {
        ended = true;
        if (!notified) {
            notified = true;
            listener.onEnd(failure, status, body);
        }
    }
}
