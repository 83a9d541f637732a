package io.kubescrape.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A program a benchmark started (kubescrape's jar, nginx, haproxy, kubectl proxy): its process, the port it was
 * told to listen on, and a wait until it answers there. Output goes to a log file in the work directory.
 */
public final class Launched implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private Launched(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A free loopback port (closed again at once; the program about to start binds it). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code command}, which listens on {@code port}, and waits until {@code readyPath} answers with any status. */
    public static Launched start(String name, List<String> command, int port, String readyPath, Path workDir)
            throws IOException, InterruptedException {
        return start(name, command, Map.of(), port, readyPath, workDir);
    }

    /** As above, with {@code env} added to the program's environment. */
    public static Launched start(String name, List<String> command, Map<String, String> env, int port,
                                 String readyPath, Path workDir) throws IOException, InterruptedException {
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Launched l = new Launched(name, p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with " + p.exitValue() + "; see " + log);
            }
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return l;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        l.close();
        throw new IOException(name + " did not answer on port " + port + " within 60 s; see " + log);
    }

    /** kubescrape's jar with the given JVM flags and arguments, on a free port, once {@code /-/ready} is 200. */
    public static Launched kubescrape(Path jar, List<String> jvmArgs, List<String> args, Path workDir)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--listen", "127.0.0.1:" + port));
        cmd.addAll(args);
        // As docs/operations.md recommends: glibc's malloc keeps one arena per thread that ever allocated, and
        // TLS libraries allocate from every event loop; two arenas took 8 MB off the RSS with no loss.
        Launched l = start("kubescrape", cmd, Map.of("MALLOC_ARENA_MAX", "2"), port, "/-/healthy", workDir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (l.get("/-/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                l.close();
                throw new IOException("kubescrape not ready within 60 s; see " + l.log);
            }
            Thread.sleep(100);
        }
        return l;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The first line of this process's log that contains {@code text}, or "" (e.g. kubescrape's startup line). */
    public String logLine(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).findFirst().orElse("");
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
