package io.kubescrape.server.connection;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.Target;
import io.kubescrape.route.TargetParser;
import io.kubescrape.server.auth.Authorize;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.http.RequestErrors;
import io.kubescrape.server.http.Responses;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.ScrapeRelay;
import io.kubescrape.upstream.ScrapeTimeout;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One downstream connection, serving one request at a time: PARSE and route it, serve it, then the next.
 * AUTO_READ is off; a read stays pending while a request is served, so requests pipelined behind it are queued,
 * a few at most (one more closes the connection), and reading stops while any is queued.
 */
public final class DownstreamHandler extends ChannelInboundHandlerAdapter implements Downstream {
    private static final int MAX_PIPELINED = 16;

    private final SharedByConnections shared;
    private final int maxRequests;
    private final long idleNanos;
    private ConnectionDeadline deadline;
    private int served;
    private HeaderTimeout headerTimeout;
    private final ArrayDeque<HttpRequest> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ScrapeRelay relay;
    private boolean busy;

    /** @param idleNanos how long a keep-alive connection may wait for its next request */
    DownstreamHandler(SharedByConnections shared, int maxRequests, long idleNanos) {
        this.shared = shared;
        this.maxRequests = maxRequests;
        this.idleNanos = idleNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new ConnectionDeadline(ctx.channel().eventLoop());
        this.headerTimeout = ctx.pipeline().get(HeaderTimeout.class);
        if (headerTimeout != null) {
            headerTimeout.timeWith(deadline);
        }
        deadline.set(idleNanos, ctx::close);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg); // request bodies and their end: GET and HEAD carry none we need
            ctx.read();
            return;
        }
        ReferenceCountUtil.release(msg);
        if (headerTimeout != null) {
            headerTimeout.headersReceived();
        }
        if (request.decoderResult().isFailure()) {
            respond(Responses.error(ctx.alloc(), RequestErrors.of(request.decoderResult().cause())), false);
            return;
        }
        if (busy) {
            if (pipelined.size() >= MAX_PIPELINED) {
                ctx.close();
            } else {
                pipelined.add(request);
            }
            return;
        }
        serve(request);
        if (busy && ctx.channel().isActive()) {
            // Keep a read pending during the scrape: the socket stays in epoll's read set instead of leaving and
            // rejoining it (two epoll_ctl calls a scrape), and a scraper that hangs up is seen at once.
            ctx.read();
        }
    }

    private void serve(HttpRequest request) {
        busy = true;
        if (++served >= maxRequests || shared.serving().draining()) {
            HttpUtil.setKeepAlive(request, false); // this connection's last: answer, then close
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            if (request.method().equals(HttpMethod.POST) && request.uri().equals("/-/reload")) {
                reload(request, keepAlive);
                return;
            }
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                throw new ScrapeException(ScrapeOutcome.METHOD_NOT_ALLOWED,
                        request.method() + " is not allowed; use GET or HEAD");
            }
            String uri = request.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            Callers.Caller caller = Authorize.caller(shared.config().callers(), request, ctx, path);
            if (TargetParser.isScrapePath(uri)) {
                scrape(request, caller, uri);
                return;
            }
            FullHttpResponse r = shared.admin().handle(request, path, ctx.alloc(), caller);
            if (r == null) {
                throw new ScrapeException(ScrapeOutcome.UNKNOWN_ROUTE, "no route for " + abbreviate(uri)
                        + "; scrape pods at /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics");
            }
            respond(r, keepAlive);
        } catch (ScrapeException e) {
            respond(Responses.error(ctx.alloc(), e), keepAlive);
        }
    }

    /**
     * A scrape: PARSE its path, AUTHORIZE it for this caller, then a relay takes it through RESOLVE → ADMIT → ACQUIRE
     * → RELAY → COMPLETE, under the scrape's deadline.
     */
    private void scrape(HttpRequest request, Callers.Caller caller, String uri) {
        Target target = TargetParser.parse(uri);
        Cluster cluster = Authorize.scrape(caller, target, shared.config().clusters());
        long timeoutNanos = ScrapeTimeout.nanos(request.headers(), cluster.spec().upstream());
        relay = new ScrapeRelay(ctx, this, cluster, target, request, timeoutNanos, shared.lastScrapes());
        deadline.set(timeoutNanos, this::scrapeTimedOut);
        relay.resolve();
    }

    /** POST /-/reload, with --enable-lifecycle: reloads off the event loop, then answers. */
    private void reload(HttpRequest request, boolean keepAlive) {
        if (!shared.reloads().endpointEnabled()) {
            throw new ScrapeException(ScrapeOutcome.METHOD_NOT_ALLOWED, "POST /-/reload needs --enable-lifecycle; "
                    + "SIGHUP reloads as well");
        }
        shared.config().callers().authenticate(request, ctx);
        shared.reloads().run().whenComplete((problem, err) -> ctx.executor().execute(() -> respond(problem == null
                && err == null ? Responses.plain(ctx.alloc(), HttpResponseStatus.OK, "kubescrape: configuration reloaded\n")
                : Responses.error(ctx.alloc(), new ScrapeException(ScrapeOutcome.RELOAD_FAILED,
                ScrapeOutcome.RELOAD_FAILED.message() + ": " + (problem != null ? problem : err))), keepAlive)));
    }

    /** Writes a complete response of kubescrape's own, then reads the next request or closes. */
    @Override
    public void respond(FullHttpResponse response, boolean keepAlive) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
        if (keepAlive) {
            next();
        }
    }

    private void scrapeTimedOut() {
        if (relay != null) {
            relay.timedOut();
        }
    }

    @Override
    public void ended(ScrapeRelay finished) {
        if (relay == finished) {
            relay = null;
        }
    }

    @Override
    public void relayed(boolean keepAlive) {
        if (keepAlive) {
            next();
        } else {
            ctx.close();
        }
    }

    private void next() {
        busy = false;
        deadline.set(idleNanos, ctx::close);
        if (headerTimeout != null) {
            headerTimeout.awaitNextRequest();
        }
        HttpRequest queued = pipelined.poll();
        if (queued != null) {
            serve(queued);
        } else if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (relay != null && ctx.channel().isWritable()) {
            relay.onDownstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.close();
        }
        if (relay != null) {
            relay.onDownstreamClosed();
        }
        pipelined.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and TLS garbage from scrapers are routine; the relay (if any) records the outcome on close.
        ctx.close();
    }

    private static String abbreviate(String uri) {
        String s = uri.length() > 120 ? uri.substring(0, 120) + "…" : uri;
        return s.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
