package io.kubescrape.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The downstream pipeline, read top to bottom: timeouts, HTTP codec, the connection handler. */
final class DownstreamInitializer extends ChannelInitializer<Channel> {
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final long IDLE_SECONDS = 120;

    private final ProxyState state;

    DownstreamInitializer(ProxyState state) {
        this.state = state;
    }

    @Override
    protected void initChannel(Channel ch) {
        addTimeouts(ch);
        addHttpCodec(ch);
        addConnectionHandler(ch);
    }

    private void addTimeouts(Channel ch) {
        // Idle keep-alive connections are closed; the handler ignores the event while a scrape is in flight.
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    }

    private void addHttpCodec(Channel ch) {
        ch.pipeline().addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
    }

    private void addConnectionHandler(Channel ch) {
        ch.pipeline().addLast("downstream", new DownstreamHandler(state));
    }
}
