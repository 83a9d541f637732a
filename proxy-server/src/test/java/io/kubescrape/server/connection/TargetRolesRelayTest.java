package io.kubescrape.server.connection;

import static io.kubescrape.server.connection.ScrapeRelayTest.POD_URL;
import static io.kubescrape.server.connection.ScrapeRelayTest.head;
import static io.kubescrape.server.connection.ScrapeRelayTest.last;
import static io.kubescrape.server.connection.ScrapeRelayTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Node and API-server targets through the relay: where they go upstream, how they fail, how they are counted. */
class TargetRolesRelayTest {
    @Test
    void aNodeEndpointGoesToTheNodeProxyAndIsRecordedAsANodeScrape() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape("/clusters/prod/nodes/node-1/metrics/cadvisor"));
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.uri()).isEqualTo("/api/v1/nodes/node-1/proxy/metrics/cadvisor");
        assertThat(up.method()).isEqualTo(HttpMethod.GET);
        up.release();
        f.upstream().writeInbound(head(200, "text/plain; version=0.0.4", 3));
        f.upstream().writeInbound(last("a 1"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(200);
        ReferenceCountUtil.release(f.downstream.readOutbound());
        assertThat(f.metrics.registry().find("kubescrape.scrape.duration").tags("outcome", "success", "role", "node")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void aMissingKubeletPermissionNamesTheClusterRoleAndTheNode() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape("/clusters/prod/nodes/node-1/metrics"));
        ReferenceCountUtil.release(f.upstream().readOutbound());
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"nodes "
                + "\\\"node-1\\\" is forbidden: User \\\"kubescrape\\\" cannot get resource \\\"nodes/proxy\\\"\","
                + "\"reason\":\"Forbidden\",\"code\":403}";
        f.upstream().writeInbound(head(403, "application/json", status.length()));
        f.upstream().writeInbound(last(status));
        FullHttpResponse down = f.downstream.readOutbound();
        assertThat(down.status().code()).isEqualTo(502);
        assertThat(down.content().toString(StandardCharsets.UTF_8))
                .contains("kubescrape's identity needs get on nodes/proxy (cluster-wide: a ClusterRole)")
                .contains("cannot get resource \"nodes/proxy\"");
        down.release();
        assertThat(f.metrics.registry().find("kubescrape.scrape.duration")
                .tags("outcome", "upstream_forbidden", "role", "node").timer().count()).isEqualTo(1);
    }

    @Test
    void theApiServersMetricsSayWhichConnectionAnsweredAndItsAuditId() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape("/clusters/prod/apiserver/metrics"));
        FullHttpRequest up = f.upstream().readOutbound();
        assertThat(up.uri()).isEqualTo("/metrics");
        up.release();
        HttpResponse h = head(200, "text/plain; version=0.0.4", 3);
        h.headers().set("Audit-Id", "5a3f0f6e-3a7c-4c2b-9f0e-1d2c3b4a5e6f");
        f.upstream().writeInbound(h);
        f.upstream().writeInbound(last("a 1"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.headers().get("X-Kubescrape-Apiserver-Audit-Id")).isEqualTo("5a3f0f6e-3a7c-4c2b-9f0e-1d2c3b4a5e6f");
        assertThat(down.headers().get("X-Kubescrape-Apiserver-Address")).isEqualTo("embedded");
        assertThat(down.headers().contains("Audit-Id")).as("the API server's own header stays allow-listed out").isFalse();
        ReferenceCountUtil.release(f.downstream.readOutbound());
        assertThat(f.metrics.registry().find("kubescrape.scrape.duration").tags("outcome", "success", "role",
                "apiserver").timer().count()).isEqualTo(1);
    }

    @Test
    void aPodsResponseNamesNoApiServer() throws Exception {
        RelayFixture f = new RelayFixture();
        f.downstream.writeInbound(scrape(POD_URL));
        ReferenceCountUtil.release(f.upstream().readOutbound());
        HttpResponse h = head(200, "text/plain; version=0.0.4", 3);
        h.headers().set("Audit-Id", "x");
        f.upstream().writeInbound(h);
        f.upstream().writeInbound(last("a 1"));
        HttpResponse down = f.downstream.readOutbound();
        assertThat(down.headers().names()).noneMatch(n -> n.toLowerCase(Locale.ROOT).contains("apiserver")
                || n.equalsIgnoreCase("Audit-Id"));
        ReferenceCountUtil.release(f.downstream.readOutbound());
    }
}
