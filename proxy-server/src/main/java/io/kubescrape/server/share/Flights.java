package io.kubescrape.server.share;

import io.kubescrape.cluster.Cluster;
import io.kubescrape.config.Sharing;
import io.kubescrape.metrics.Shared;
import io.kubescrape.route.Target;
import io.kubescrape.server.scrape.Downstream;
import io.kubescrape.server.scrape.Followers;
import io.kubescrape.server.scrape.LastScrapes;
import io.kubescrape.server.scrape.Scrape;
import io.kubescrape.server.scrape.ScrapeRecord;
import io.kubescrape.server.scrape.ScrapeRelay;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where identical scrapes meet, once their callers' grants are checked: a scrape finds a recent answer in its
 * cluster's share window, joins an identical one in flight, or leads a flight of its own that later ones may join.
 * HEAD scrapes and clusters with {@code share_buffer: 0} always go alone.
 */
public final class Flights {
    /** The share window's bound: complete answers kept across every cluster. */
    public static final long WINDOW_BYTES = 64L << 20;
    /** What the flights of one event loop keep of bodies in flight for late joiners; past it, bodies are not kept. */
    public static final long KEPT_BYTES_PER_LOOP = 32L << 20;

    /** Each loop's bytes kept now, changed by that loop only (no counter shared between cores on every chunk). */
    private final ConcurrentHashMap<EventLoop, long[]> kept = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<ShareKey, Flight> inFlight = new ConcurrentHashMap<>();
    private final SharedAnswers window = new SharedAnswers(WINDOW_BYTES);

    /**
     * Starts the scrape: served from the window at once, following an identical one, or as a relay that
     * {@code relay} makes (given the followers it leads, or null to go alone). {@code current} learns of the
     * scrape under way before it begins (none for an answer from the window).
     */
    public void start(ChannelHandlerContext ctx, Downstream owner, Cluster cluster, Target target,
                      HttpRequest request, long timeoutNanos, LastScrapes last,
                      Function<Followers, ScrapeRelay> relay, Consumer<Scrape> current) {
        Sharing sharing = cluster.sharing();
        long bound = sharing.bufferBytes();
        if (bound <= 0 || !request.method().equals(HttpMethod.GET)) {
            start(relay.apply(null), current);
            return;
        }
        ShareKey key = ShareKey.of(cluster.name(), request);
        boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        boolean keepAlive = http11 && HttpUtil.isKeepAlive(request);
        long windowNanos = sharing.windowNanos();
        if (windowNanos > 0) {
            SharedAnswers.Answer recent = window.recent(key);
            if (recent != null && WindowAnswer.serve(ctx, owner, recent, keepAlive, http11, new ScrapeRecord(target,
                    cluster.meters(), last, ctx.channel().eventLoop(), Shared.WINDOW))) {
                return;
            }
        }
        Flight mine = new Flight(key, this, ctx.channel().eventLoop(), bound, windowNanos, ctx.alloc(),
                budget(ctx.channel().eventLoop()));
        Flight ahead = inFlight.putIfAbsent(key, mine);
        if (ahead == null) {
            start(relay.apply(mine), current);
            return;
        }
        FlightFollower f = new FlightFollower(ctx, owner, new ScrapeRecord(target, cluster.meters(), last,
                ctx.channel().eventLoop(), Shared.IN_FLIGHT), keepAlive, http11, timeoutNanos, bound,
                () -> start(relay.apply(null), current));
        current.accept(f);
        f.follow(ahead);
    }

    private static void start(ScrapeRelay r, Consumer<Scrape> current) {
        current.accept(r);
        r.resolve();
    }

    /** The bytes kept by {@code loop}'s flights: a one-element array only that loop reads and writes. */
    private long[] budget(EventLoop loop) {
        long[] b = kept.get(loop);
        return b != null ? b : kept.computeIfAbsent(loop, l -> new long[1]);
    }

    /** The flight takes no more joiners (it ended, or its body passed the bound). */
    void landed(ShareKey key, Flight flight) {
        inFlight.remove(key, flight);
    }

    /** A flight's complete 2xx answer, for the share window when its cluster has one. */
    void answered(ShareKey key, HttpResponse head, HttpHeaders added, List<ByteBuf> body, long windowNanos,
                  ByteBufAllocator alloc) {
        if (windowNanos > 0) {
            window.keep(key, head, added, body, windowNanos, alloc);
        }
    }

    /** Identical scrapes in flight now (for tests and the browse page). */
    public int inFlight() {
        return inFlight.size();
    }

    /** Lets every kept answer go (at shutdown). */
    public void close() {
        window.clear();
    }
}
