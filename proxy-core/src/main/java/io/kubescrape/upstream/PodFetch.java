package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.PodJson;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * RESOLVE's upstream half: GET one pod object over the cluster's pool and read it into a {@link PodInfo}.
 * A pod is small JSON, so unlike a scrape its body is collected (up to a bound). A reused connection that
 * breaks before any response byte is retried once on a fresh one.
 */
public final class PodFetch implements UpstreamExchange {
    private static final int MAX_POD_BYTES = 4 * 1024 * 1024;

    private final ClusterSpec spec;
    private final UpstreamChannelPool pool;
    private final String path;
    private final String authorization;
    private final CompletableFuture<PodInfo> result = new CompletableFuture<>();
    private Channel channel;
    private HttpResponse response;
    private CompositeByteBuf body;
    private boolean retried;
    private io.netty.util.concurrent.ScheduledFuture<?> timer;

    private PodFetch(ClusterSpec spec, UpstreamChannelPool pool, String path, String authorization) {
        this.spec = spec;
        this.pool = pool;
        this.path = path;
        this.authorization = authorization;
    }

    /** Starts the fetch; call on the pool's event loop. Completes with the pod, or fails with a ScrapeException. */
    public static CompletableFuture<PodInfo> start(ClusterSpec spec, UpstreamChannelPool pool, String path,
                                                   String authorization, io.netty.channel.EventLoop loop) {
        PodFetch fetch = new PodFetch(spec, pool, path, authorization);
        // Without a bound, a hung API server would leave this lookup (and the cache entry every scrape of the
        // pod waits on) pending forever.
        long limit = spec.upstream().maxScrapeTimeout().toMillis();
        fetch.timer = loop.schedule(() -> fetch.fail(new ScrapeException(ScrapeOutcome.TIMEOUT, "the API server of"
                + " cluster " + spec.name() + " did not return pod " + path + " within " + limit + " ms"), false),
                limit, java.util.concurrent.TimeUnit.MILLISECONDS);
        fetch.result.whenComplete((p, e) -> fetch.timer.cancel(false));
        fetch.send(false);
        return fetch.result;
    }

    private void send(boolean fresh) {
        pool.acquire(fresh).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            if (result.isDone()) {
                pool.release((Channel) f.getNow());
                return;
            }
            channel = (Channel) f.getNow();
            UpstreamHandler.of(channel).attach(this);
            channel.writeAndFlush(UpstreamRequests.getPod(spec, path, authorization));
            channel.read();
        });
    }

    @Override
    public void onResponse(HttpResponse r) {
        response = r;
        body = channel.alloc().compositeBuffer();
    }

    @Override
    public void onContent(HttpContent content) {
        if (body.readableBytes() + content.content().readableBytes() > MAX_POD_BYTES) {
            content.release();
            fail(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the pod object is larger than "
                    + MAX_POD_BYTES + " bytes"), false);
            return;
        }
        body.addComponent(true, content.content().retain());
        content.release();
        if (content instanceof LastHttpContent) {
            finish();
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
        Channel ch = channel;
        if (response == null && !retried) {
            retried = true;
            channel = null;
            if (ch != null) {
                pool.discard(ch);
            }
            send(true);
            return;
        }
        fail(UpstreamFailures.broken(spec, cause, "while reading pod " + path), false);
    }

    private void finish() {
        Channel ch = channel;
        channel = null;
        // The channel goes back to the pool before the result completes: the scrape waiting on this pod runs
        // synchronously on completion and should find it idle rather than open a second connection.
        if (HttpUtil.isKeepAlive(response)) {
            pool.release(ch);
        } else {
            pool.discard(ch);
        }
        int code = response.status().code();
        try {
            if (code == 200) {
                result.complete(PodJson.read(new ByteBufInputStream(body)));
            } else {
                byte[] bytes = new byte[Math.min(body.readableBytes(), 64 * 1024)];
                body.readBytes(bytes);
                ApiStatus status = ApiStatus.parse(bytes);
                result.completeExceptionally(status != null ? status.toFailure(spec.name(), false)
                        : new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "GET " + path + " answered "
                        + response.status() + " (cluster " + spec.name() + ")"));
            }
        } catch (IOException e) {
            result.completeExceptionally(new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL,
                    "the API server sent an unreadable pod: " + e.getMessage()));
        } finally {
            body.release();
            body = null;
        }
    }

    private void fail(ScrapeException e, boolean reusable) {
        if (result.isDone()) {
            return;
        }
        Channel ch = channel;
        channel = null;
        if (body != null) {
            body.release();
            body = null;
        }
        if (ch != null) {
            if (reusable) {
                pool.release(ch);
            } else {
                pool.discard(ch);
            }
        }
        result.completeExceptionally(e);
    }
}
