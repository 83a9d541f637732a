package io.kubescrape.server.share;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.IllegalReferenceCountException;
import java.time.Duration;
import java.util.List;

/**
 * The share window: complete 2xx answers kept for their cluster's {@code share_window} after they arrived, for
 * identical scrapes that come within it. Bounded by bytes; an answer is never served once its window has passed.
 */
final class SharedAnswers {
    /**
     * A kept answer: the pod's head (a copy, never changed), the headers kubescrape adds to it, its body, and when
     * it arrived.
     */
    record Answer(HttpResponse head, HttpHeaders added, ByteBuf body, long arrivedNanos, long windowNanos) {
        /** A reference of the caller's own, or null when the answer was let go meanwhile. */
        ByteBuf take() {
            try {
                return body.retainedDuplicate();
            } catch (IllegalReferenceCountException evicted) {
                return null;
            }
        }
    }

    private final Cache<ShareKey, Answer> answers;

    SharedAnswers(long maxBytes) {
        answers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((ShareKey k, Answer a) -> k.weight() + a.body().readableBytes())
                .expireAfter(Expiry.creating((ShareKey k, Answer a) -> Duration.ofNanos(a.windowNanos())))
                .executor(Runnable::run)
                .removalListener((ShareKey k, Answer a, RemovalCause c) -> {
                    if (a != null) {
                        a.body().release();
                    }
                })
                .build();
    }

    /** Keeps a complete answer made of {@code pieces} (not released: the answer takes references of its own). */
    void keep(ShareKey key, HttpResponse head, HttpHeaders added, List<ByteBuf> pieces, long windowNanos,
              ByteBufAllocator alloc) {
        CompositeByteBuf body = alloc.compositeBuffer(Math.max(2, pieces.size()));
        for (ByteBuf piece : pieces) {
            body.addComponent(true, piece.retainedDuplicate());
        }
        answers.put(key, new Answer(head, added, body, System.nanoTime(), windowNanos));
    }

    /** The answer for {@code key} still within its window, or null. */
    Answer recent(ShareKey key) {
        Answer a = answers.getIfPresent(key);
        return a != null && System.nanoTime() - a.arrivedNanos() < a.windowNanos() ? a : null;
    }

    void clear() {
        answers.invalidateAll();
    }
}
