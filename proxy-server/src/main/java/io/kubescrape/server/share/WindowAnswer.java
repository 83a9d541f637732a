package io.kubescrape.server.share;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.RelayHeaders;
import io.kubescrape.server.scrape.ScrapeRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/** Serves an answer from the share window, with an {@code Age} header saying how old it is (RFC 9111 §5.1). */
final class WindowAnswer {
    private WindowAnswer() {
    }

    /** False when the answer was let go in the meantime (the caller then scrapes as usual). */
    static boolean serve(ChannelHandlerContext ctx, Downstream owner, SharedAnswers.Answer answer, boolean keepAlive,
                         boolean http11, ScrapeRecord record) {
        ByteBuf body = answer.take();
        if (body == null) {
            record.abandon();
            return false;
        }
        HttpResponse head = RelayHeaders.sharedCopy(answer.head(), answer.added(), keepAlive, http11);
        head.headers().set(HttpHeaderNames.AGE,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - answer.arrivedNanos()));
        record.addBytes(body.readableBytes());
        ctx.write(head, ctx.voidPromise());
        ctx.writeAndFlush(new DefaultLastHttpContent(body), ctx.voidPromise());
        record.finish(ScrapeOutcome.SUCCESS, head.status().code(), null);
        owner.relayed(keepAlive);
        return true;
    }
}
