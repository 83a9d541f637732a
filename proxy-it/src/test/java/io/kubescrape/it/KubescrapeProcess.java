package io.kubescrape.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar, started as a user would, in its own JVM; its log lines are kept for assertions. They go to a file,
 * not a pipe: the JDK closes a child's pipe when the child exits, and a reader still on it lost the last lines (those
 * of the shutdown).
 */
final class KubescrapeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:\\d+)");

    private final Process process;
    private final Path logFile;
    private final String url;

    KubescrapeProcess(List<String> jvmArgs, String... args) throws Exception {
        Path jar = jar();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        logFile = Files.createTempFile("kubescrape-it-", ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        String found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found == null && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = log().stream().map(LISTENING::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                    .orElse(null);
        }
        url = found;
        if (url == null) {
            String lines = String.join("\n", log());
            close();
            throw new IllegalStateException("kubescrape did not start: " + lines);
        }
    }

    /** The fat jar built by proxy-server's package phase (the test command is {@code mvn verify}). */
    static Path jar() {
        Path jar = Path.of("..", "proxy-server", "target", "kubescrape.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify' so it is built first");
        }
        return jar;
    }

    long pid() {
        return process.pid();
    }

    String url() {
        return url;
    }

    /** Every line logged so far. */
    List<String> log() {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as SIGTERM would and returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
        Files.deleteIfExists(logFile);
    }
}
