package io.kubescrape.server.scrape;

import io.kubescrape.upstream.ApiStatus;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Holds the start of an error response that may be the API server's own JSON {@code Status} (as opposed to the
 * pod's answer), up to a bound, and then says which it was. What is not a Status is handed back whole, to be
 * relayed unchanged.
 */
final class StatusSniffer {
    private static final int MAX_STATUS_BYTES = 64 * 1024;

    /** The decision: the API server's Status, or the held bytes of the pod's own response. */
    record Verdict(ApiStatus status, HttpContent held) {
    }

    private CompositeByteBuf held;

    StatusSniffer(ByteBufAllocator alloc) {
        this.held = alloc.compositeBuffer();
    }

    /** Takes ownership of {@code content}; returns null while still undecided. */
    Verdict offer(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        held.addComponent(true, content.content().retain());
        content.release();
        if (last) {
            ApiStatus status = ApiStatus.parse(ByteBufUtil.getBytes(held));
            if (status != null) {
                release();
                return new Verdict(status, null);
            }
        }
        if (!last && held.readableBytes() <= MAX_STATUS_BYTES) {
            return null;
        }
        HttpContent out = last ? new DefaultLastHttpContent(held) : new DefaultHttpContent(held);
        held = null;
        return new Verdict(null, out);
    }

    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
