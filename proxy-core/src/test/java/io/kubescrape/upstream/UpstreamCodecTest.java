package io.kubescrape.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamCodecTest {
    /** Responses as API servers, exporters and odd servers send them: tables or not, they decode as Netty's own. */
    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nAudit-Id: 5e0c\r\nCache-Control: no-cache, private\r\nContent-Type: text/plain; "
            + "version=0.0.4; charset=utf-8\r\nDate: Mon, 30 Nov 2026 11:00:00 GMT\r\nContent-Length: 5\r\n\r\nup 1\n",
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 3\r\nLast-Modified: x\r\nConnection: keep-alive"
            + "\r\nETag: \"1\"\r\nAccept-Ranges: bytes\r\n\r\nok\n",
        "HTTP/1.1 200 Fine Thanks\r\ncontent-type: text/plain\r\nTRANSFER-ENCODING: chunked\r\nX-Own: a\r\n\r\n"
            + "3\r\nab\n\r\n0\r\n\r\n",
        "HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 404 Not Found\r\nContent-Typ: x\r\nContent-Typf: w\r\nDatE: v\r\nContent-Typez: y\r\n"
            + "Content-Length: 0\r\n\r\n",
        "HTTP/1.1 299 \r\nVary: Accept-Encoding\r\nContent-Length: 1\r\n\r\nz"})
    void decodesAsNettysOwnDecoder(String response) {
        assertThat(decode(new EmbeddedChannel(new UpstreamCodec()), response))
                .isEqualTo(decode(new EmbeddedChannel(new HttpResponseDecoder()), response));
    }

    @Test
    void aHeadResponseHasNoBodyEvenAfterAnInterimResponse() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpstreamCodec());
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/m"));
        ReferenceCountUtil.release(ch.readOutbound());
        assertThat(decode(ch, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
                .containsExactly("HTTP/1.1 100 Continue []", "end 0", "HTTP/1.1 200 OK [Content-Length=5]", "end 0");
        // The next response (to a GET written as bytes below the codec) has its body again.
        assertThat(decode(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nup 1\n"))
                .containsExactly("HTTP/1.1 200 OK [Content-Length=5]", "end 5");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bodyBytesReadTogetherGoOnInOnePiece() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpstreamCodec());
        String body = "x".repeat(60_000); // a node_exporter page, about 57 KB
        assertThat(decode(ch, "HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n" + body))
                .containsExactly("HTTP/1.1 200 OK [Content-Length=60000]", "end 60000");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /** What a decoder makes of the bytes: status line, headers as sent, body sizes. */
    private static List<String> decode(EmbeddedChannel ch, String bytes) {
        ByteBuf in = Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1);
        ch.writeInbound(in);
        List<String> seen = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            HttpObject h = (HttpObject) o;
            assertThat(h.decoderResult().isSuccess()).as(bytes).isTrue();
            if (h instanceof HttpResponse r) {
                seen.add(r.protocolVersion() + " " + r.status().code() + " "
                        + r.status().reasonPhrase() + " " + r.headers().entries());
            }
            if (h instanceof HttpContent c) {
                seen.add((c instanceof LastHttpContent ? "end " : "part ") + c.content().readableBytes());
            }
            ReferenceCountUtil.release(o);
        }
        return seen;
    }
}
