package io.kubescrape.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * {@code GET .../pods} (or any other kind's collection): a list (paged with limit/continue, filtered by
 * labelSelector, as PodList or Table) or, with {@code watch=1}, a stream of newline-delimited events from a
 * resourceVersion, with bookmarks, a timeout, and a 410 ERROR event when the version is older than the history kept.
 */
final class ListAndWatch<T extends SimObject> {
    private static final long BOOKMARK_SECONDS = 5;
    private static final long MAX_WATCH_SECONDS = 1800;

    private final ObjectStore<T> store;
    private final SimKind kind;

    ListAndWatch(ObjectStore<T> store) {
        this.store = store;
        this.kind = store.kind();
    }

    /** Lists served since the start (each page counts), for tests of how often clients relist. */
    final LongAdder lists = new LongAdder();

    /** @param namespace null for every namespace (and for a cluster-scoped kind) */
    void handle(ChannelHandlerContext ctx, HttpRequest req, String namespace) {
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        Predicate<Map<String, String>> selector;
        try {
            selector = LabelSelector.parse(param(q, "labelSelector"));
        } catch (IllegalArgumentException e) {
            Replies.status(ctx, req, 400, "BadRequest", e.getMessage());
            return;
        }
        String watch = param(q, "watch");
        if ("1".equals(watch) || "true".equals(watch)) {
            watch(ctx, req, q, namespace, selector);
        } else {
            lists.increment();
            list(ctx, req, q, namespace, selector);
        }
    }

    private void list(ChannelHandlerContext ctx, HttpRequest req, QueryStringDecoder q, String namespace,
                      Predicate<Map<String, String>> selector) {
        int limit = 0;
        String after = null;
        try {
            limit = param(q, "limit") == null ? 0 : Integer.parseInt(param(q, "limit"));
            String token = param(q, "continue");
            after = token == null ? null : new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            Replies.status(ctx, req, 400, "BadRequest", "invalid limit or continue token");
            return;
        }
        ObjectStore.Page<T> page = store.list(namespace, selector, limit, after);
        String next = page.nextKey() == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(page.nextKey().getBytes(StandardCharsets.UTF_8));
        if (Replies.wantsTable(req)) {
            Replies.send(ctx, req, HttpResponseStatus.OK, Replies.TABLE, Unpooled.wrappedBuffer(
                    ApiDocuments.table(kind, page.items(), page.resourceVersion(), next, true)));
            return;
        }
        StringBuilder head = new StringBuilder("{\"kind\":\"").append(kind.listKind()).append("\",\"apiVersion\":\"")
                .append(kind.apiVersion()).append("\",\"metadata\":{")
                .append("\"resourceVersion\":\"").append(page.resourceVersion()).append('"');
        if (next != null) {
            head.append(",\"continue\":\"").append(next).append("\",\"remainingItemCount\":").append(page.remaining());
        }
        head.append("},\"items\":[");
        ByteBuf body = ctx.alloc().buffer();
        body.writeCharSequence(head, StandardCharsets.UTF_8);
        List<T> items = page.items();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.writeByte(',');
            }
            body.writeBytes(items.get(i).json());
        }
        body.writeCharSequence("]}", StandardCharsets.UTF_8);
        Replies.send(ctx, req, HttpResponseStatus.OK, Replies.JSON, body);
    }

    private void watch(ChannelHandlerContext ctx, HttpRequest req, QueryStringDecoder q, String namespace,
                       Predicate<Map<String, String>> selector) {
        long from = parseLong(param(q, "resourceVersion"), 0);
        long timeout = Math.min(MAX_WATCH_SECONDS, parseLong(param(q, "timeoutSeconds"), MAX_WATCH_SECONDS));
        boolean table = Replies.wantsTable(req);
        boolean bookmarks = "true".equals(param(q, "allowWatchBookmarks")) && !table;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, table ? Replies.TABLE : Replies.JSON);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        Channel ch = ctx.channel();
        Stream<T> stream = new Stream<>(ch, kind, namespace, selector, table);
        if (!store.watch(from, stream)) {
            byte[] gone = ApiDocuments.status(410, "Expired", "too old resource version: " + from + " ("
                    + store.resourceVersion() + ")");
            ch.write(line("{\"type\":\"ERROR\",\"object\":" + new String(gone, StandardCharsets.UTF_8) + "}"));
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        var end = ch.eventLoop().schedule(() -> {
            store.unwatch(stream);
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }, timeout, TimeUnit.SECONDS);
        var marks = bookmarks ? ch.eventLoop().scheduleAtFixedRate(() -> {
            if (!store.paused()) {
                ch.writeAndFlush(line("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + kind.kind()
                        + "\",\"apiVersion\":\"" + kind.apiVersion() + "\",\"metadata\":{\"resourceVersion\":\""
                        + store.resourceVersion() + "\"}}}"));
            }
        }, BOOKMARK_SECONDS, BOOKMARK_SECONDS, TimeUnit.SECONDS) : null;
        ch.closeFuture().addListener(f -> {
            store.unwatch(stream);
            end.cancel(false);
            if (marks != null) {
                marks.cancel(false);
            }
        });
    }

    /** One watch: filters events and writes them on its channel's loop; a watcher that cannot keep up is cut. */
    private static final class Stream<T extends SimObject> implements ObjectStore.Watcher<T> {
        private final Channel ch;
        private final SimKind kind;
        private final String namespace;
        private final Predicate<Map<String, String>> selector;
        private final boolean table;
        private boolean first = true;

        Stream(Channel ch, SimKind kind, String namespace, Predicate<Map<String, String>> selector, boolean table) {
            this.ch = ch;
            this.kind = kind;
            this.namespace = namespace;
            this.selector = selector;
            this.table = table;
        }

        @Override
        public void disconnect() {
            ch.close();
        }

        @Override
        public void onEvent(ObjectStore.Event<T> e) {
            T p = e.item();
            if ((namespace != null && !namespace.equals(p.namespace())) || !selector.test(p.labels())) {
                return;
            }
            byte[] object = table ? ApiDocuments.table(kind, List.of(p), e.resourceVersion(), null, first) : e.object();
            first = false;
            String text = "{\"type\":\"" + e.type() + "\",\"object\":" + new String(object, StandardCharsets.UTF_8) + "}";
            ch.eventLoop().execute(() -> {
                if (!ch.isWritable()) {
                    ch.close();
                    return;
                }
                ch.writeAndFlush(line(text));
            });
        }
    }

    private static DefaultHttpContent line(String json) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8));
    }

    static String param(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null || s.isEmpty() ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
