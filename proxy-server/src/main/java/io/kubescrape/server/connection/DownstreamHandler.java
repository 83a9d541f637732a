package io.kubescrape.server.connection;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.route.Target;
import io.kubescrape.route.TargetParser;
import io.kubescrape.server.aggregate.Aggregates;
import io.kubescrape.server.auth.Authorize;
import io.kubescrape.server.auth.Callers;
import io.kubescrape.server.http.RequestChecks;
import io.kubescrape.server.http.RequestErrors;
import io.kubescrape.server.http.Responses;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.Scrape;
import io.kubescrape.server.scrape.ScrapeRelay;
import io.kubescrape.upstream.ScrapeTimeout;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream connection, serving one request at a time: PARSE and route it, serve it, then the next.
 * AUTO_READ is off; a read stays pending while a request is served, so requests pipelined behind it are queued,
 * a few at most (one more closes the connection), and reading stops while any is queued.
 */
public final class DownstreamHandler extends ChannelInboundHandlerAdapter implements Downstream {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamHandler.class);
    private static final int MAX_PIPELINED = 16;

    private final SharedByConnections shared;
    private final int maxRequests;
    private final long idleNanos;
    private ConnectionDeadline deadline;
    private int served;
    private HeaderTimeout headerTimeout;
    private LineFoldGuard lineFolds;
    private long received;
    private final ArrayDeque<HttpRequest> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Scrape underWay;
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
        this.lineFolds = ctx.pipeline().get(LineFoldGuard.class);
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
        received++;
        if (lineFolds != null && lineFolds.folded(received) && request.decoderResult().isSuccess()) {
            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("obsolete line folding: a "
                    + "header line starts with a space or tab")));
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
        ScrapeException refused = RequestChecks.problem(request, shared.hosts());
        if (refused != null) {
            respond(Responses.error(ctx.alloc(), refused), false); // a caller this confused gets no second turn
            return;
        }
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        try {
            RequestChecks.checkMethod(request, path, shared.reloads().endpointEnabled());
            Callers callers = shared.config().callers();
            Callers.Caller caller = Authorize.caller(callers, request, ctx, path);
            if (caller == null) {
                // A password to check with bcrypt: on its own pool; this connection waits, its loop does not.
                Authorize.verify(callers, request).whenComplete((c, err) -> ctx.executor().execute(() -> {
                    if (ctx.channel().isActive()) {
                        answer(request, keepAlive, path, c, err);
                    }
                }));
                return;
            }
            route(request, keepAlive, path, caller);
        } catch (RuntimeException e) {
            failed(request, keepAlive, e);
        }
    }

    /** Serves the request for {@code caller}, or answers why the password check refused it. */
    private void answer(HttpRequest request, boolean keepAlive, String path, Callers.Caller caller, Throwable err) {
        try {
            if (err != null) {
                throw err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            }
            route(request, keepAlive, path, caller);
        } catch (RuntimeException e) {
            failed(request, keepAlive, e);
        } catch (Throwable t) {
            failed(request, keepAlive, new IllegalStateException(t));
        }
    }

    /** Routes an authenticated request: reload, a scrape, or an admin page. */
    private void route(HttpRequest request, boolean keepAlive, String path, Callers.Caller caller) {
        if (request.method().equals(HttpMethod.POST)) {
            Authorize.grant(caller, "lifecycle");
            reload(keepAlive);
        } else if (Aggregates.matches(path)) {
            Aggregates.start(ctx, this, request, keepAlive, caller, shared.config().clusters(),
                    shared.config().aggregate());
        } else if (TargetParser.isScrapePath(request.uri())) {
            scrape(request, caller, request.uri());
        } else {
            FullHttpResponse r = shared.admin().handle(request, path, ctx.alloc(), caller);
            if (r == null) {
                throw new ScrapeException(ScrapeOutcome.UNKNOWN_ROUTE, "no route for "
                        + RequestErrors.abbreviate(request.uri())
                        + "; scrape pods at /clusters/<cluster>/ns/<namespace>/pods/<pod>[:<port>]/metrics");
            }
            respond(r, keepAlive);
        }
    }

    /** The table's answer to a refused request; for a fault of ours, a 500 and the cause in the log. */
    private void failed(HttpRequest request, boolean keepAlive, RuntimeException e) {
        if (e instanceof ScrapeException se) {
            respond(Responses.error(ctx.alloc(), se), keepAlive);
            return;
        }
        // Never a silently closed connection: the caller gets a 500, the log the cause.
        LOG.error("request failed: {} {}: {}", request.method(), RequestErrors.abbreviate(request.uri()), e.toString(),
                e);
        if (underWay == null && ctx.channel().isActive()) {
            respond(Responses.error(ctx.alloc(), new ScrapeException(ScrapeOutcome.INTERNAL_ERROR)), false);
        } else {
            ctx.close();
        }
    }

    /**
     * A scrape: PARSE its path, AUTHORIZE it for this caller, then a relay takes it through RESOLVE → ADMIT → ACQUIRE
     * → RELAY → COMPLETE, under the scrape's deadline.
     */
    private void scrape(HttpRequest request, Callers.Caller caller, String uri) {
        RequestChecks.dropConnectionNamed(request.headers());
        Target target = TargetParser.parse(uri);
        Cluster cluster = Authorize.scrape(caller, target, shared.config().clusters());
        long timeoutNanos = ScrapeTimeout.nanos(request.headers(), cluster.spec().upstream());
        String callerName = caller.spec() == null ? null : caller.name();
        deadline.set(timeoutNanos, this::scrapeTimedOut);
        shared.flights().start(ctx, this, cluster, target, request, timeoutNanos, shared.lastScrapes(),
                followers -> new ScrapeRelay(ctx, this, cluster, target, request, timeoutNanos, shared.lastScrapes(),
                        callerName, followers), s -> underWay = s);
    }

    /** POST /-/reload, with --enable-lifecycle: reloads off the event loop, then answers. */
    private void reload(boolean keepAlive) {
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
        if (underWay != null) {
            underWay.timedOut();
        }
    }

    @Override
    public void ended(Scrape finished) {
        if (underWay == finished) {
            underWay = null;
        }
    }

    @Override
    public void relayed(boolean keepAlive) {
        if (keepAlive) {
            next();
        } else {
            // Closed once every byte is written: a close now would drop what still waits for the socket.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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
        if (underWay != null && ctx.channel().isWritable()) {
            underWay.onDownstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.close();
        }
        if (underWay != null) {
            underWay.onDownstreamClosed();
        }
        pipelined.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and TLS garbage from scrapers are routine; the relay (if any) records the outcome on close.
        ctx.close();
    }
}
