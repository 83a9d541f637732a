package io.kubescrape.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Finds obsolete line folding (a header line that starts with a space or tab) in the request heads as their bytes
 * arrive, because Netty's decoder silently joins such a line to the header before it: RFC 9112 lets a server
 * either do that or answer 400, and a proxy should refuse what other hops may read differently. The bytes pass on
 * unchanged; the connection handler asks {@link #folded} of each request, counted from 1, and refuses that one.
 * kubescrape takes no request bodies (a request with one is refused), so every byte here is part of a head.
 */
final class LineFoldGuard extends ChannelInboundHandlerAdapter {
    private long head = 1;
    private long firstFolded = -1;
    private boolean inHead;
    private boolean lineStart = true;
    private int lineLength;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (firstFolded < 0 && msg instanceof ByteBuf buf) {
            scan(buf);
        }
        ctx.fireChannelRead(msg);
    }

    private void scan(ByteBuf buf) {
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end && firstFolded < 0; i++) {
            byte b = buf.getByte(i);
            if (b == '\n') {
                if (lineLength > 0) {
                    inHead = true;
                } else if (inHead) {
                    inHead = false; // an empty line ends the head: the next line starts the next request
                    head++;
                }
                lineStart = true;
                lineLength = 0;
            } else if (b != '\r') {
                if (lineStart && inHead && (b == ' ' || b == '\t')) {
                    firstFolded = head;
                }
                lineStart = false;
                lineLength++;
            }
        }
    }

    /** Whether request {@code n} (the first is 1) of this connection had a folded header line. */
    boolean folded(long n) {
        return firstFolded > 0 && n >= firstFolded;
    }
}
