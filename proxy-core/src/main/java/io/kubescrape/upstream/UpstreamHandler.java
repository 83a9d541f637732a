package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * The last handler of every pooled HTTP/1.1 upstream channel, and the channel's {@link UpstreamLink}: hands what the
 * codec decodes to the exchange currently attached. With none attached (the channel is idle in the pool) any input
 * is a protocol error: close.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter implements UpstreamLink {
    /** The channel's handler, found twice per scrape: an attribute lookup, not a walk along the pipeline. */
    private static final AttributeKey<UpstreamHandler> HANDLER = AttributeKey.valueOf(UpstreamHandler.class,
            "handler");
    private UpstreamExchange exchange;
    private Channel channel;
    /** The HTTP/1.1 codec's context, to write prepared request bytes past its encoder; null on other pipelines. */
    private ChannelHandlerContext codec;

    public static UpstreamHandler of(Channel channel) {
        return channel.attr(HANDLER).get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        channel.attr(HANDLER).set(this);
        codec = ctx.pipeline().context(UpstreamCodec.class);
    }

    /**
     * Sends a scrape request and asks for the response. A GET on an HTTP/1.1 connection goes as prepared bytes
     * written below the codec (whose decoder needs the request's method only for HEAD); anything else as a request
     * object through the pipeline (HEAD; channels of handler tests).
     */
    @Override
    public void sendScrape(ClusterSpec spec, HttpMethod method, String path, HttpHeaders downstream,
                           String authorization, double timeoutSeconds) {
        if (codec != null && HttpMethod.GET.equals(method)) {
            codec.writeAndFlush(UpstreamRequests.scrapeGet(channel.alloc(), spec, path, downstream, authorization,
                    timeoutSeconds), codec.voidPromise());
        } else {
            channel.writeAndFlush(UpstreamRequests.scrape(spec, method, path, downstream, authorization,
                    timeoutSeconds), channel.voidPromise());
        }
        channel.read();
    }

    @Override
    public void send(HttpRequest request) {
        channel.writeAndFlush(request, channel.voidPromise());
        channel.read();
    }

    @Override
    public void read() {
        channel.read();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The connection this handler ends the pipeline of. */
    public Channel channel() {
        return channel;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ctx.channel().attr(HANDLER).compareAndSet(this, null);
    }

    /** Inside an interim (1xx) response: its end and any body are dropped. */
    private boolean skippingInterim;

    @Override
    public void attach(UpstreamExchange e) {
        this.exchange = e;
        this.skippingInterim = false;
    }

    @Override
    public void detach() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamExchange e = exchange;
        if (e == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpObject http) {
            DecoderResult result = http.decoderResult();
            if (result.isFailure()) {
                ReferenceCountUtil.release(msg);
                exchange = null;
                e.onBroken(new IOException("malformed HTTP from the API server: " + result.cause()));
                ctx.close();
                return;
            }
        }
        if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            interim(ctx, e, response);
            return;
        }
        if (skippingInterim) {
            if (!(msg instanceof HttpResponse)) {
                skippingInterim = !(msg instanceof LastHttpContent); // an interim response's end: the real one next
                ReferenceCountUtil.release(msg);
                return;
            }
            skippingInterim = false;
        }
        if (msg instanceof HttpResponse response) {
            e.onResponse(response);
        }
        if (msg instanceof HttpContent content) {
            e.onContent(content);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * A 1xx before the real response (100 Continue, 102 Processing, 103 Early Hints) is consumed: the response that
     * follows is the one relayed. A 101 is a protocol switch kubescrape never asks for: the exchange fails, and the
     * connection, no longer HTTP, is closed.
     */
    private void interim(ChannelHandlerContext ctx, UpstreamExchange e, HttpResponse response) {
        ReferenceCountUtil.release(response);
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            exchange = null;
            e.onBroken(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server answered 101 Switching "
                    + "Protocols, an upgrade kubescrape never asks for"));
            ctx.close();
            return;
        }
        skippingInterim = !(response instanceof LastHttpContent);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamExchange e = exchange;
        if (e != null) {
            e.onReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onBroken(new ClosedChannelException());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamExchange e = exchange;
        exchange = null;
        if (e != null) {
            e.onBroken(cause);
        }
        ctx.close();
    }
}
