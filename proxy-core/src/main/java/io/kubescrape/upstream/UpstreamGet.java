package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A GET of a bounded API-server object (a pod, a page of a pod list) over a cluster's pool: the body is
 * collected, unlike a scrape's. A reused connection that breaks before any response byte is retried once on
 * a fresh one, and the whole exchange is bounded by a timeout so a hung API server cannot leave it pending.
 */
public final class UpstreamGet implements UpstreamExchange {
    /** The answer: its status, headers and body (which the receiver must release). */
    public record Response(int status, HttpHeaders headers, ByteBuf body) {
    }

    private final ClusterSpec spec;
    private final UpstreamChannelPool pool;
    private final String path;
    private final Supplier<FullHttpRequest> request;
    private final int maxBytes;
    private final CompletableFuture<Response> result = new CompletableFuture<>();
    private UpstreamLink channel;
    private HttpResponse response;
    private CompositeByteBuf body;
    private boolean retried;

    private UpstreamGet(ClusterSpec spec, UpstreamChannelPool pool, String path, Supplier<FullHttpRequest> request,
                        int maxBytes) {
        this.spec = spec;
        this.pool = pool;
        this.path = path;
        this.request = request;
        this.maxBytes = maxBytes;
    }

    /** Starts the GET on {@code loop} (the pool's). Fails with a ScrapeException naming the cause. */
    public static CompletableFuture<Response> start(ClusterSpec spec, UpstreamChannelPool pool, String path,
                                                    String authorization, EventLoop loop, int maxBytes,
                                                    long timeoutMillis) {
        return start(spec, pool, path, () -> UpstreamRequests.get(spec, path, authorization), loop, maxBytes,
                timeoutMillis);
    }

    /**
     * As above with a request of the caller's making (made anew for the one retry): an aggregate's GET of a pod's
     * metrics, say.
     */
    public static CompletableFuture<Response> start(ClusterSpec spec, UpstreamChannelPool pool, String path,
                                                    Supplier<FullHttpRequest> request, EventLoop loop, int maxBytes,
                                                    long timeoutMillis) {
        UpstreamGet get = new UpstreamGet(spec, pool, path, request, maxBytes);
        ScheduledFuture<?> timer = loop.schedule(() -> get.fail(new ScrapeException(ScrapeOutcome.TIMEOUT,
                "the API server of cluster " + spec.name() + " did not answer GET " + path + " within "
                        + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
        get.result.whenComplete((r, e) -> timer.cancel(false));
        loop.execute(() -> get.send(false));
        return get.result;
    }

    private void send(boolean fresh) {
        pool.acquire(fresh).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            UpstreamLink ch = (UpstreamLink) f.getNow();
            if (result.isDone()) {
                pool.release(ch);
                return;
            }
            channel = ch;
            ch.attach(this);
            ch.send(request.get());
        });
    }

    @Override
    public void onResponse(HttpResponse r) {
        response = r;
        body = channel.alloc().compositeBuffer(Integer.MAX_VALUE);
    }

    @Override
    public void onContent(HttpContent content) {
        if (body == null) {
            content.release();
            return;
        }
        if (body.readableBytes() + content.content().readableBytes() > maxBytes) {
            content.release();
            fail(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "GET " + path + " returned more than "
                    + maxBytes + " bytes"));
            return;
        }
        body.addComponent(true, content.content().retain());
        content.release();
        if (content instanceof LastHttpContent) {
            UpstreamLink ch = channel;
            channel = null;
            // Back to the pool before completing: whoever waits on this may want a connection at once.
            pool.giveBack(ch, HttpUtil.isKeepAlive(response));
            CompositeByteBuf b = body;
            body = null;
            if (!result.complete(new Response(response.status().code(), response.headers(), b))) {
                b.release();
            }
        }
    }

    @Override
    public void onReadComplete() {
        if (channel != null) {
            channel.read();
        }
    }

    @Override
    public void onBroken(Throwable cause) {
        UpstreamLink ch = channel;
        if (response == null && !retried && !result.isDone()) {
            retried = true;
            channel = null;
            if (ch != null) {
                pool.discard(ch);
            }
            send(true);
            return;
        }
        fail(UpstreamFailures.broken(spec, cause, "during GET " + path));
    }

    private void fail(ScrapeException e) {
        if (result.isDone()) {
            return;
        }
        UpstreamLink ch = channel;
        channel = null;
        if (body != null) {
            body.release();
            body = null;
        }
        if (ch != null) {
            pool.discard(ch);
        }
        result.completeExceptionally(e);
    }
}
