package io.kubescrape.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real jar, started as a user would, in its own JVM; its log lines are kept for assertions. */
final class KubescrapeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:\\d+)");

    private final Process process;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private volatile String url;
    private final Thread reader;

    KubescrapeProcess(List<String> jvmArgs, String... args) throws Exception {
        Path jar = jar();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        reader = new Thread(this::pump, "kubescrape-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (url == null && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (url == null) {
            close();
            throw new IllegalStateException("kubescrape did not start: " + String.join("\n", log));
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

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    long pid() {
        return process.pid();
    }

    String url() {
        return url;
    }

    List<String> log() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    /** Stops it as SIGTERM would and returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        reader.join(5000); // its last log lines are read before anyone looks at them
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
