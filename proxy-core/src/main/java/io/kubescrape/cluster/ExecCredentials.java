package io.kubescrape.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubescrape.config.ExecSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an exec credential plugin once and reads the ExecCredential it prints: a token and when it expires. */
final class ExecCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A credential; {@code expires} null when the plugin gave no expiry. */
    record Credential(String token, Instant expires) {
        @Override
        public String toString() {
            return "exec credential expiring " + expires;
        }
    }

    private ExecCredentials() {
    }

    static Credential run(ExecSpec spec, String cluster, long timeoutMillis) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(spec.command());
        cmd.addAll(spec.args());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(spec.env());
        pb.environment().put("KUBERNETES_EXEC_INFO", "{\"apiVersion\":\"" + spec.apiVersion() + "\",\"kind\":"
                + "\"ExecCredential\",\"spec\":{\"interactive\":false}}");
        String what = "exec plugin " + spec.command() + " (cluster " + cluster + ")";
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(what + " cannot be started: " + e.getMessage(), e);
        }
        try {
            var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish within " + timeoutMillis + " ms");
            }
            if (p.exitValue() != 0) {
                String first = err.join().lines().findFirst().orElse("");
                throw new IOException(what + " failed with exit code " + p.exitValue() + ": " + first);
            }
            JsonNode status = JSON.readTree(out.join()).path("status");
            String token = status.path("token").asText("");
            if (token.isEmpty()) {
                throw new IOException(what + " printed no status.token (client certificates from exec plugins are "
                        + "not supported)");
            }
            String exp = status.path("expirationTimestamp").asText("");
            return new Credential(token, exp.isEmpty() ? null : Instant.parse(exp));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new IOException(what + " printed no valid ExecCredential: " + e.getMessage(), e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
