package io.kubescrape.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One run of wrk (Debian's package) against a list of paths on one base URL, read back through a Lua script that
 * prints its summary as JSON: requests, bytes, latency percentiles, socket errors, timeouts (no response within
 * 30 s) and the count of each status.
 * Only complete responses get a status; a response cut short counts as a read error.
 */
public final class Wrk {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What wrk saw. Latencies in microseconds. */
    public record Result(long requests, long bytes, double seconds, long p50Micros, long p99Micros,
                         long socketErrors, long timeouts, Map<Integer, Long> statuses) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        public double megabytesPerSecond() {
            return bytes / seconds / (1024 * 1024);
        }

        /** What went wrong, or "" for nothing: statuses other than 200, socket errors, timeouts. */
        public String failures() {
            List<String> parts = new ArrayList<>();
            if (non200() > 0) {
                parts.add(non200() + " non-200");
            }
            if (socketErrors() > 0) {
                parts.add(socketErrors() + " socket errors");
            }
            if (timeouts() > 0) {
                parts.add(timeouts() + " timeouts");
            }
            return String.join(", ", parts);
        }

        /** Complete responses with a status other than 200. */
        public long non200() {
            return statuses.entrySet().stream().filter(e -> e.getKey() != 200).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private Wrk() {
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/wrk"));
    }

    /** Runs wrk for {@code duration} with {@code connections} over 2 threads, cycling through {@code paths}. */
    public static Result run(String baseUrl, List<String> paths, Map<String, String> headers, int connections,
                             Duration duration, Path workDir) throws IOException, InterruptedException {
        Path script = Files.writeString(Files.createTempFile(workDir, "wrk", ".lua"), script(paths, headers));
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t", String.valueOf(Math.min(2, connections)),
                "-c", String.valueOf(connections), "-d", Math.max(1, duration.toSeconds()) + "s", "--timeout", "30s",
                "-s", script.toString(), baseUrl));
        String text;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("wrk failed: " + new String(out, StandardCharsets.UTF_8));
            }
            text = new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(script); // one per run: a full benchmark made 170 of them
        }
        int at = text.indexOf("WRK-JSON ");
        if (at < 0) {
            throw new IOException("wrk printed no summary: " + text);
        }
        JsonNode j = JSON.readTree(text.substring(at + 9).trim().split("\n")[0]);
        Map<Integer, Long> statuses = new TreeMap<>();
        j.get("statuses").fields().forEachRemaining(e -> statuses.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        return new Result(j.get("requests").asLong(), j.get("bytes").asLong(), j.get("micros").asLong() / 1e6,
                j.get("p50").asLong(), j.get("p99").asLong(), j.get("socket_errors").asLong(),
                j.get("timeouts").asLong(), statuses);
    }

    private static String script(List<String> paths, Map<String, String> headers) {
        StringBuilder lua = new StringBuilder("local paths = {");
        for (String p : paths) {
            lua.append(quote(p)).append(',');
        }
        lua.append("}\nlocal headers = {");
        headers.forEach((k, v) -> lua.append('[').append(quote(k)).append("]=").append(quote(v)).append(','));
        lua.append("""
                }
                local threads = {}
                local next_id = 0
                function setup(thread)
                  thread:set("id", next_id)
                  next_id = next_id + 1
                  table.insert(threads, thread)
                end
                function init(args)
                  -- Threads start far apart in the list, so that they rarely ask for the same path at once.
                  i = (id * 97) % #paths
                  statuses = {}
                end
                function request()
                  i = i % #paths + 1
                  return wrk.format("GET", paths[i], headers)
                end
                function response(status, hdrs, body)
                  statuses[status] = (statuses[status] or 0) + 1
                end
                function done(summary, latency, requests)
                  local all = {}
                  for _, t in ipairs(threads) do
                    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
                  end
                  local parts = {}
                  for k, v in pairs(all) do table.insert(parts, string.format('"%d":%d', k, v)) end
                  local e = summary.errors
                  io.write(string.format('WRK-JSON {"requests":%d,"bytes":%d,"micros":%d,"p50":%d,"p99":%d,' ..
                    '"socket_errors":%d,"timeouts":%d,"statuses":{%s}}\\n', summary.requests, summary.bytes,
                    summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write,
                    e.timeout, table.concat(parts, ",")))
                end
                """);
        return lua.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
