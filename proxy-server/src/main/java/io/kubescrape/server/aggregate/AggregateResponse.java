package io.kubescrape.server.aggregate;

import io.kubescrape.exposition.FamilySet;
import io.kubescrape.server.aggregate.SyntheticSeries.PodOutcome;
import io.kubescrape.server.http.SafetyHeaders;
import io.kubescrape.server.scrape.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an aggregate's answer: the merged families, each pod's series, in the format and encoding asked for. The
 * samples go out as the pods' own buffers, one piece after another, never copied into one body (which a socket
 * would copy once more, and which for a large aggregate is tens of megabytes of heap).
 */
final class AggregateResponse {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private AggregateResponse() {
    }

    /** Writes the answer, then tells the connection it is done; returns the body's size as sent. */
    static long send(ChannelHandlerContext ctx, Downstream owner, AggregateRequest request, FamilySet families,
                     List<PodOutcome> pods) {
        List<ByteBuf> parts = new ArrayList<>();
        families.append(parts);
        ByteBuf tail = ctx.alloc().buffer(256 + pods.size() * 320);
        SyntheticSeries.write(tail, pods);
        if (request.openMetrics()) {
            FamilySet.writeEof(tail);
        }
        parts.add(tail);
        if (request.gzip()) {
            parts = BodyCoding.gzip(ctx.alloc(), parts);
        }
        long size = 0;
        for (ByteBuf p : parts) {
            size += p.readableBytes();
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, request.openMetrics() ? OPEN_METRICS : TEXT)
                .set(HttpHeaderNames.CONTENT_LENGTH, size)
                .setInt("X-Kubescrape-Aggregate-Pods", pods.size())
                .setInt("X-Kubescrape-Aggregate-Down", (int) pods.stream().filter(p -> !p.up()).count());
        if (request.gzip()) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        }
        if (!request.keepAlive()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        SafetyHeaders.apply(h);
        ctx.write(head, ctx.voidPromise());
        for (ByteBuf p : parts) {
            if (request.head()) {
                p.release();
            } else {
                ctx.write(new DefaultHttpContent(p), ctx.voidPromise());
            }
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        owner.relayed(request.keepAlive());
        return size;
    }
}
