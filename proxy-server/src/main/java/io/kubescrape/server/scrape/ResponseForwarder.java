package io.kubescrape.server.scrape;

import io.kubescrape.error.ScrapeOutcome;
import io.kubescrape.upstream.ApiStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * RELAY for one upstream response: the head and each piece of body are written downstream as they arrive
 * (flushing is the relay's, once per read burst). An error that may be the API server's own JSON Status is held
 * by {@link StatusSniffer} until it is known; a Status is handed back to the relay, anything else is the pod's and
 * passes unchanged. Scrapes following this one's upstream request see the same head and body; once its own caller
 * has left (detached), the body only goes to them.
 */
final class ResponseForwarder {
    /** How the response ended, as far as the scrape's lifecycle cares. */
    interface Ending {
        /** The last byte went downstream; the upstream connection may be reused when {@code reusable}. */
        void completed(boolean reusable, ScrapeOutcome outcome);

        /** The API server answered with a Status: nothing went downstream. */
        void apiStatus(ApiStatus status);
    }

    /** The last bytes of a body, at most this many, may wait for the rest before being flushed (see tailComing). */
    private static final int TAIL = 64 * 1024;
    static final String AUDIT_ID = "Audit-Id";
    static final String APISERVER_ADDRESS = "X-Kubescrape-Apiserver-Address";
    static final String APISERVER_AUDIT_ID = "X-Kubescrape-Apiserver-Audit-Id";

    private final ChannelHandlerContext downstream;
    private final ScrapeRecord record;
    private final boolean keepAlive;
    private final boolean head;
    private final boolean http11;
    private final Ending ending;
    private final SocketAddress apiServerAddress;
    private final Followers followers;
    private boolean detached;
    /** The head is known to be the pod's (not an API server Status): the body goes on to whoever reads it. */
    private boolean sniffed;
    /** Headers of kubescrape's own for every caller of this answer: the API server's identity, else none. */
    private HttpHeaders added = EmptyHttpHeaders.INSTANCE;
    private HttpResponse response;
    private boolean upstreamKeepAlive;
    private StatusSniffer sniffer;
    private ScrapeOutcome outcome = ScrapeOutcome.SUCCESS;
    private boolean headersSent;
    /** What the upstream's Content-Length says is still to come of the body; -1 when it gave none. */
    private long bodyLeft = -1;

    /**
     * @param apiServerAddress for a scrape of the API server's own metrics, the address its connection reached
     *                         (which replica answered, unless a load balancer hides it); else null
     */
    ResponseForwarder(ChannelHandlerContext downstream, ScrapeRecord record, boolean keepAlive, boolean head,
                      boolean http11, SocketAddress apiServerAddress, Followers followers, Ending ending) {
        this.followers = followers;
        this.apiServerAddress = apiServerAddress;
        this.downstream = downstream;
        this.record = record;
        this.keepAlive = keepAlive;
        this.head = head;
        this.http11 = http11;
        this.ending = ending;
    }

    void head(HttpResponse r) {
        response = r;
        upstreamKeepAlive = HttpUtil.isKeepAlive(r); // before the head is rewritten for downstream
        bodyLeft = HttpUtil.getContentLength(r, -1L);
        if (apiServerAddress != null) {
            added = apiServerIdentity(apiServerAddress, r.headers().get(AUDIT_ID));
        }
        if (ApiStatus.mightBeStatus(r)) {
            sniffer = new StatusSniffer(downstream.alloc());
        } else {
            headReceived();
        }
    }

    void content(HttpContent content) {
        if (sniffer != null) {
            StatusSniffer.Verdict verdict = sniffer.offer(content);
            if (verdict == null) {
                return;
            }
            sniffer = null;
            if (verdict.status() != null) {
                ending.apiStatus(verdict.status());
                return;
            }
            headReceived(); // not a Status: the pod's own response; relay what was held, then stream on
            relay(verdict.held());
        } else if (headersSent || detached && sniffed) {
            relay(content);
        } else {
            content.release();
        }
    }

    boolean headersSent() {
        return headersSent;
    }

    /**
     * Whether the flush at the end of a read burst may wait: the upstream said how long the body is, and what is
     * left of it is small. The caller then gets head and body in one send rather than two or three (fewer wake-ups
     * for the scraper; haproxy does as much with MSG_MORE), and has the whole body no later. Never while the
     * downstream is over its high-water mark: what is there must drain before the upstream is read again.
     */
    boolean tailComing() {
        return bodyLeft > 0 && bodyLeft <= TAIL && downstream.channel().isWritable();
    }

    /** The relay's caller is gone, its connection perhaps serving another request: nothing more is written to it. */
    void detach() {
        detached = true;
    }

    /** The status the scraper saw, or 0 before any. */
    int status() {
        return response == null ? 0 : response.status().code();
    }

    /** Frees what is held when the scrape ends early. */
    void discard() {
        if (sniffer != null) {
            sniffer.release();
            sniffer = null;
        }
    }

    private void relay(HttpContent content) {
        if (followers != null) {
            followers.content(content);
        }
        if (detached) {
            content.release();
            if (content instanceof LastHttpContent) {
                ending.completed(upstreamKeepAlive, outcome);
            }
            return;
        }
        record.addBytes(content.content().readableBytes());
        bodyLeft -= content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            downstream.writeAndFlush(content, downstream.voidPromise());
            ending.completed(upstreamKeepAlive, outcome);
        } else {
            downstream.write(content, downstream.voidPromise());
        }
    }

    private void headReceived() {
        sniffed = true;
        int code = response.status().code();
        outcome = code >= 200 && code < 300 ? ScrapeOutcome.SUCCESS : ScrapeOutcome.POD_ERROR;
        if (followers != null) {
            followers.head(response, added); // before it is rewritten in place for this caller
        }
        if (!detached) {
            sendHeaders();
        }
    }

    private void sendHeaders() {
        headersSent = true;
        // Void promises: nothing waits on these writes, and a failed one closes the connection (exceptionCaught).
        HttpResponse out = RelayHeaders.downstream(response, keepAlive, head, http11);
        if (!added.isEmpty()) {
            out.headers().add(added);
        }
        downstream.write(out, downstream.voidPromise());
    }

    /**
     * Behind a load balancer each scrape of the API server reaches one replica. Upstream Kubernetes names no replica
     * in its responses; what can be told is the address the connection reached and the request's Audit-Id, which
     * finds the replica in its audit log. Scrapes sharing this answer get the same.
     */
    private static HttpHeaders apiServerIdentity(SocketAddress remote, String auditId) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(APISERVER_ADDRESS, address(remote));
        if (auditId != null) {
            h.set(APISERVER_AUDIT_ID, auditId);
        }
        return h;
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress a && a.getAddress() != null) {
            String ip = a.getAddress().getHostAddress();
            return (a.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + a.getPort();
        }
        return String.valueOf(remote);
    }
}
