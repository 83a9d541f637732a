package io.kubescrape.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.bench.Launched;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real Prometheus (Debian's package) on a free loopback port, with a config and data folder of the test's. */
final class PrometheusProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final String api;

    PrometheusProcess(Path config, Path dir) throws Exception {
        int port = Launched.freePort();
        api = "http://127.0.0.1:" + port;
        process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn").redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** An instant query's result vector; empty while Prometheus is still starting. */
    JsonNode query(String promql) throws Exception {
        try {
            var r = Harness.get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            return r.statusCode() == 200 ? JSON.readTree(r.body()).at("/data/result") : JSON.createArrayNode();
        } catch (IOException notYetListening) {
            return JSON.createArrayNode();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
