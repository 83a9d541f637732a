package io.kubescrape.upstream;

import io.kubescrape.transport.CompactHeaders;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTTP/1.1 codec of a pooled upstream connection: Netty's request encoder and response decoder, made to
 * allocate less per scrape. The words of the usual status lines and the header names API servers and exporters
 * send come from tables, not new strings, and headers start in a small table ({@link CompactHeaders}). Only one
 * exchange is on a connection at a time, so a HEAD awaiting its (bodiless) response is a flag, not a queue.
 * Scrape GETs are written as prepared bytes below this codec ({@link UpstreamHandler}): they leave the flag
 * alone, and a GET's response has a body by the usual rules. Body bytes that arrived together go on as one piece
 * of up to 64 KB (Netty's default is 8 KB): each piece costs a trip down both pipelines, and the pieces are
 * slices of what was read, not copies, so larger ones hold no more memory.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<UpstreamCodec.Decoder, UpstreamCodec.Encoder> {
    private static final KnownTokens<String> STATUS_WORDS = new KnownTokens<>("HTTP/1.1", "HTTP/1.0", "200", "OK",
            "401", "Unauthorized", "403", "Forbidden", "404", "Not Found", "500", "Internal Server Error", "503",
            "Service Unavailable");
    /** As Go's net/http (the API server, most exporters) and nginx spell them. */
    private static final KnownTokens<AsciiString> HEADER_NAMES = new KnownTokens<>(Stream.of("Content-Type",
            "Content-Length", "Content-Encoding", "Transfer-Encoding", "Date", "Audit-Id", "Cache-Control", "Vary",
            "X-Content-Type-Options", "Connection", "Keep-Alive", "Server", "Last-Modified", "ETag", "Etag",
            "Accept-Ranges", "Expires").map(AsciiString::cached).toArray(AsciiString[]::new));

    private boolean headInFlight;

    private static String statusWord(byte[] sb, int start, int length) {
        String known = STATUS_WORDS.find(sb, start, length);
        return known != null ? known : new String(sb, start, length, StandardCharsets.ISO_8859_1);
    }

    UpstreamCodec() {
        init(new Decoder(), new Encoder());
    }

    final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                headInFlight = HttpMethod.HEAD.equals(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    final class Decoder extends HttpResponseDecoder {
        Decoder() {
            super(new HttpDecoderConfig().setHeadersFactory(CompactHeaders.FACTORY).setMaxChunkSize(64 * 1024));
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // an interim response: the real one is still to come
            }
            boolean head = headInFlight;
            headInFlight = false;
            return head || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString known = HEADER_NAMES.find(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            return statusWord(sb, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
            return statusWord(sb, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
            return statusWord(sb, start, length);
        }
    }
}
