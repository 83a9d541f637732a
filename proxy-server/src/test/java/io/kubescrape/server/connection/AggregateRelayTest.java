package io.kubescrape.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.discovery.ContainerPort;
import io.kubescrape.discovery.PodInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An aggregated scrape on EmbeddedChannels: what goes up for each pod, and the one answer that comes down. */
class AggregateRelayTest {
    private static PodInfo pod(String name) {
        return new PodInfo("web", name, "1", Map.of("app", "web"), Map.of("prometheus.io/scrape", "true"),
                List.of(new ContainerPort("app", "metrics", 9100, "TCP")), "Running", "10.0.0.9", "n1", true);
    }

    private static void answer(EmbeddedChannel upstream, int status, String type, String body) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        upstream.writeInbound(head);
        upstream.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
    }

    private static String readAll(EmbeddedChannel downstream) {
        StringBuilder sb = new StringBuilder();
        Object o;
        while ((o = downstream.readOutbound()) != null) {
            if (o instanceof HttpResponse r) {
                sb.append("status ").append(r.status().code()).append('\n');
            }
            if (o instanceof HttpContent c) {
                sb.append(c.content().toString(StandardCharsets.UTF_8));
            }
            if (o instanceof LastHttpContent) {
                sb.append("<end>");
            }
            ReferenceCountUtil.release(o);
        }
        return sb.toString();
    }

    @Test
    void eachPodIsAskedForTextAndGzipAndTheAnswerIsOneBodyWithEveryPod() throws Exception {
        RelayFixture f = RelayFixture.discovering(List.of(pod("web-0"), pod("web-1"), pod("web-2")));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/clusters/prod/ns/web/metrics");
        req.headers().set(HttpHeaderNames.HOST, "127.0.0.1:8080").set("X-Prometheus-Scrape-Timeout-Seconds", "5");
        f.downstream.writeInbound(req);
        f.downstream.runPendingTasks();
        assertThat(f.upstreams).hasSize(3);
        for (EmbeddedChannel up : f.upstreams) {
            FullHttpRequest sent = up.readOutbound();
            assertThat(sent.uri()).matches("/api/v1/namespaces/web/pods/web-[0-2]:9100/proxy/metrics");
            assertThat(sent.headers().get(HttpHeaderNames.ACCEPT)).startsWith("text/plain;version=0.0.4");
            assertThat(sent.headers().get(HttpHeaderNames.ACCEPT_ENCODING)).isEqualTo("gzip");
            assertThat(sent.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Bearer tok");
            sent.release();
        }
        answer(f.upstreams.get(0), 200, "text/plain; version=0.0.4", "# TYPE jobs_total counter\njobs_total 1\n");
        answer(f.upstreams.get(1), 500, "text/plain", "collector failed\n");
        answer(f.upstreams.get(2), 200, "text/plain; version=0.0.4", "jobs_total{pod=\"x\"} 2\n");
        f.downstream.runPendingTasks();
        String out = readAll(f.downstream);
        assertThat(out).startsWith("status 200\n").endsWith("<end>")
                .contains("jobs_total{cluster=\"prod\",namespace=\"web\",pod=\"web-0\"} 1\n")
                .contains("jobs_total{cluster=\"prod\",namespace=\"web\",pod=\"web-2\",exported_pod=\"x\"} 2\n")
                .contains("kubescrape_target_up{cluster=\"prod\",namespace=\"web\",pod=\"web-1\",outcome=\"pod_error\"} 0");
        assertThat(f.released).as("every upstream connection back in its pool").hasSize(3);
        assertThat(f.metrics.registry().find("kubescrape.scrape.duration").tags("role", "aggregate").timer().count())
                .isEqualTo(1);
        assertThat(f.downstream.isOpen()).isTrue();
    }

    @Test
    void noPodOfTheNamespaceIsAnAnswerWithNoPods() throws Exception {
        RelayFixture f = RelayFixture.discovering(List.of(pod("web-0")));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/clusters/prod/ns/other/metrics");
        req.headers().set(HttpHeaderNames.HOST, "127.0.0.1:8080");
        f.downstream.writeInbound(req);
        f.downstream.runPendingTasks();
        assertThat(f.upstreams).isEmpty();
        assertThat(readAll(f.downstream)).startsWith("status 200\n").contains("# TYPE kubescrape_target_up gauge")
                .doesNotContain("kubescrape_target_up{");
    }
}
