package io.kubescrape.sim;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.config.CredentialSpec;
import io.kubescrape.config.DiscoverySettings;
import io.kubescrape.config.ScrapeSettings;
import io.kubescrape.config.TlsSettings;
import io.kubescrape.config.UpstreamSettings;
import io.kubescrape.metrics.ProxyMetrics;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamExchange;
import io.kubescrape.upstream.UpstreamLink;
import io.kubescrape.upstream.UpstreamPools;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code --backend HOST:PORT}: every pod's proxy traffic goes to one real local exporter (plain HTTP), over
 * kubescrape's own keep-alive pools, so benchmarks can put a real exporter behind the simulated cluster.
 */
final class BackendProxy {
    private final ClusterSpec spec;
    private final UpstreamPools pools;

    BackendProxy(String hostPort, Class<? extends Channel> channelClass, int eventLoops) {
        spec = new ClusterSpec("backend", URI.create("http://" + hostPort), "--backend",
                new TlsSettings(null, false, null, null, null), CredentialSpec.NONE, ScrapeSettings.BUILTIN,
                new UpstreamSettings(null, null, null, null, null, null, null, null, null, null, null,
                        UpstreamSettings.HTTP1, null).orElse(UpstreamSettings.BUILTIN),
                DiscoverySettings.OFF);
        pools = new UpstreamPools(spec, null, new ProxyMetrics().cluster("backend").pool(), channelClass, eventLoops);
    }

    void forward(ChannelHandlerContext ctx, HttpRequest req, String path) {
        UpstreamChannelPool pool = pools.on(ctx.channel().eventLoop());
        pool.acquire(false).addListener(f -> {
            if (!f.isSuccess()) {
                Replies.status(ctx, req, 503, "ServiceUnavailable", "error trying to reach service: "
                        + f.cause().getMessage());
                return;
            }
            UpstreamLink up = (UpstreamLink) f.getNow();
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), path);
            out.headers().set(HttpHeaderNames.HOST, spec.authority());
            for (CharSequence h : new CharSequence[] {HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING,
                HttpHeaderNames.USER_AGENT}) {
                if (req.headers().contains(h)) {
                    out.headers().set(h, req.headers().get(h));
                }
            }
            up.attach(new Relay(ctx, req, pool, up));
            up.send(out);
        });
    }

    /** Streams the exporter's response to the simulated API server's caller. */
    private static final class Relay implements UpstreamExchange {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final UpstreamChannelPool pool;
        private final UpstreamLink up;
        private boolean responded;

        Relay(ChannelHandlerContext ctx, HttpRequest req, UpstreamChannelPool pool, UpstreamLink up) {
            this.ctx = ctx;
            this.keepAlive = HttpUtil.isKeepAlive(req);
            this.pool = pool;
            this.up = up;
        }

        @Override
        public void onResponse(HttpResponse r) {
            responded = true;
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers().copy());
            head.headers().remove(HttpHeaderNames.CONNECTION);
            if (!HttpUtil.isContentLengthSet(r)) {
                HttpUtil.setTransferEncodingChunked(head, true);
            }
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.write(head);
        }

        @Override
        public void onContent(HttpContent c) {
            if (c instanceof LastHttpContent) {
                var f = ctx.writeAndFlush(c);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
                pool.release(up);
            } else {
                ctx.write(c);
            }
        }

        @Override
        public void onReadComplete() {
            ctx.flush();
            up.read();
        }

        @Override
        public void onBroken(Throwable cause) {
            pool.discard(up);
            if (responded) {
                ctx.close();
            } else {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.copiedBuffer(
                        "error trying to reach service: " + cause + "\n", StandardCharsets.UTF_8)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    void close() {
        pools.close();
    }
}
