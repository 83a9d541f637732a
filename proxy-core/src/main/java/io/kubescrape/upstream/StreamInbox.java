package io.kubescrape.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * What an HTTP/2 stream received and has not handed on yet, in order: response heads and pieces of body. The DATA
 * payloads of one read burst are joined (as components, not copied) into one piece, and the flow-control credit
 * of the bytes still here is counted, to be returned when they go.
 */
final class StreamInbox {
    private final ArrayDeque<HttpObject> held = new ArrayDeque<>(4);
    /** DATA not sealed into a piece yet; after everything held. */
    private ByteBuf joining;
    private boolean joiningIsLast;
    /** Flow-control credit of the DATA here. */
    private int owed;

    void add(HttpObject o) {
        seal();
        held.add(o);
    }

    /** Joins a DATA payload (retained) to the piece being built. */
    void join(ByteBuf data, ByteBufAllocator alloc) {
        int bytes = data.readableBytes();
        if (joining == null) {
            joining = data.retain();
        } else {
            if (!(joining instanceof CompositeByteBuf)) {
                joining = alloc.compositeBuffer(16).addComponent(true, joining);
            }
            ((CompositeByteBuf) joining).addComponent(true, data.retain());
        }
        owed += bytes;
    }

    /**
     * The response ended: the piece being built, if any, becomes the last one.
     * @return false when there is none, so the end needs a piece of its own
     */
    boolean endJoined() {
        if (joining == null) {
            return false;
        }
        joiningIsLast = true;
        return true;
    }

    /** The DATA joined so far becomes one piece, after what is held. */
    void seal() {
        if (joining != null) {
            HttpContent c = joiningIsLast ? new DefaultLastHttpContent(joining) : new DefaultHttpContent(joining);
            joining = null;
            joiningIsLast = false;
            held.add(c);
        }
    }

    boolean hasHeld() {
        return !held.isEmpty();
    }

    HttpObject poll() {
        return held.poll();
    }

    /** The credit owed for the DATA handed on, now that all of it has been. */
    int takeCredit() {
        int c = owed;
        owed = 0;
        return c;
    }

    /** Releases everything here (the exchange is over or broke). */
    void drop() {
        if (joining != null) {
            joining.release();
            joining = null;
        }
        HttpObject o;
        while ((o = held.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
