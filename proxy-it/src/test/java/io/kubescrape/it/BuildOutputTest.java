package io.kubescrape.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Maven as the project's scripts run it writes plain text into a log or pipe: no ANSI escape codes (Debian's Maven
 * 3.8 writes colour resets even in batch mode unless {@code .mvn/jvm.config} turns them off), and every script
 * calls it in batch mode without transfer progress.
 */
class BuildOutputTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MVN = Pattern.compile("(?m)^\\s*(?:RUN\\s+)?mvn\\s(.*)$");

    @Test
    void mavenWritesNoEscapeCodesIntoAPipe() throws Exception {
        Process p = new ProcessBuilder("mvn", "-B", "-q", "-ntp", "validate").directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("Maven's output in a pipe").doesNotContain("\u001b");
    }

    @Test
    void everyScriptRunsMavenInBatchModeWithoutProgress() throws Exception {
        int calls = 0;
        for (String script : List.of("demo.sh", "bench/scrape.sh", ".ci/run", "Dockerfile")) {
            Matcher m = MVN.matcher(Files.readString(ROOT.resolve(script)));
            while (m.find()) {
                calls++;
                assertThat(m.group(1)).as(script + ": mvn " + m.group(1)).contains("-B").contains("-ntp");
            }
        }
        assertThat(calls).as("mvn calls found").isGreaterThanOrEqualTo(4);
    }
}
