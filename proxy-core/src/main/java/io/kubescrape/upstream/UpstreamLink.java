package io.kubescrape.upstream;

import io.kubescrape.config.ClusterSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;

/**
 * What a pool hands out for one exchange: a pooled HTTP/1.1 connection ({@link UpstreamHandler}) or one HTTP/2
 * stream ({@link MultiplexedStream}). The exchange attached to it hears the response; the response is read only as far
 * as asked ({@link #read()}), so a slow caller holds the API server back instead of filling kubescrape's memory.
 * Used on the pool's event loop only.
 */
public interface UpstreamLink {
    /** The exchange that hears the response from now on. */
    void attach(UpstreamExchange exchange);

    /** No exchange hears this link any more (it goes back to its pool or is closed). */
    void detach();

    /** Sends a scrape request (GET or HEAD) and asks for the response. */
    void sendScrape(ClusterSpec spec, HttpMethod method, String path, HttpHeaders downstream, String authorization,
                    double timeoutSeconds);

    /** Sends a request of the caller's making (a GET of an API object, a watch) and asks for the response. */
    void send(HttpRequest request);

    /** Asks for the next part of the response: what has come or comes next goes to the exchange. */
    void read();

    ByteBufAllocator alloc();

    /** The API server's address as connected to. */
    SocketAddress remoteAddress();
}
