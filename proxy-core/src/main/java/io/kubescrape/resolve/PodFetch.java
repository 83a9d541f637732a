package io.kubescrape.resolve;

import io.kubescrape.config.ClusterSpec;
import io.kubescrape.discovery.PodInfo;
import io.kubescrape.discovery.PodJson;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.upstream.ApiStatus;
import io.kubescrape.upstream.UpstreamChannelPool;
import io.kubescrape.upstream.UpstreamGet;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** RESOLVE's upstream half: GET one pod and read it into a {@link PodInfo}; an API-server Status becomes its failure. */
public final class PodFetch {
    private static final int MAX_POD_BYTES = 4 * 1024 * 1024;

    private PodFetch() {
    }

    public static CompletableFuture<PodInfo> start(ClusterSpec spec, UpstreamChannelPool pool, String namespace,
                                                   String name, String authorization, EventLoop loop) {
        String path = UpstreamPaths.pod(namespace, name);
        return UpstreamGet.start(spec, pool, path, authorization, loop, MAX_POD_BYTES,
                spec.upstream().maxScrapeTimeout().toMillis()).thenApply(r -> {
                    try {
                        if (r.status() == 200) {
                            return PodJson.read(new ByteBufInputStream(r.body()));
                        }
                        throw ApiStatus.failure(spec, r.status(), ByteBufUtil.getBytes(r.body()), "get on pods in this namespace",
                                "GET " + path);
                    } catch (IOException e) {
                        throw new ScrapeException(ScrapeOutcome.UPSTREAM_PROTOCOL, "the API server sent an "
                                + "unreadable pod: " + e.getMessage());
                    } finally {
                        r.body().release();
                    }
                });
    }
}
