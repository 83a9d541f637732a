package io.kubescrape.server.aggregate;

import io.kubescrape.exposition.FamilySet;
import io.kubescrape.server.aggregate.SyntheticSeries.PodOutcome;
import io.kubescrape.server.http.SafetyHeaders;
import io.kubescrape.server.scrape.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/** Writes an aggregate's answer: the merged families, each pod's series, in the format and encoding asked for. */
final class AggregateResponse {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private AggregateResponse() {
    }

    /** Sends the answer; returns the body's size as sent. */
    static long send(ChannelHandlerContext ctx, Downstream owner, AggregateRequest request, FamilySet families,
                     List<PodOutcome> pods) {
        // The families' samples are shared, not copied: an aggregate may hold aggregate.max_bytes of them.
        CompositeByteBuf whole = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        families.append(whole);
        ByteBuf tail = ctx.alloc().buffer(256 + pods.size() * 320);
        SyntheticSeries.write(tail, pods);
        if (request.openMetrics()) {
            FamilySet.writeEof(tail);
        }
        whole.addComponent(true, tail);
        ByteBuf body = whole;
        if (request.gzip()) {
            body = BodyCoding.gzip(body);
        }
        long size = body.readableBytes();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                request.head() ? Unpooled.EMPTY_BUFFER : body);
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, request.openMetrics() ? OPEN_METRICS : TEXT)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, (int) size)
                .setInt("X-Kubescrape-Aggregate-Pods", pods.size())
                .setInt("X-Kubescrape-Aggregate-Down", (int) pods.stream().filter(p -> !p.up()).count());
        if (request.gzip()) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
        }
        SafetyHeaders.apply(h);
        if (request.head()) {
            body.release();
        }
        owner.respond(r, request.keepAlive());
        return size;
    }
}
