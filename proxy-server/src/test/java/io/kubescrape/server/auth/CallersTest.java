package io.kubescrape.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kubescrape.config.CallerSpec;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Basic auth: bcrypt never on the calling thread, a success remembered, failures alike, and shedding when full. */
class CallersTest {
    private final PasswordCheck passwords = new PasswordCheck(1, 2);

    @AfterEach
    void stop() {
        passwords.close();
    }

    private Callers callers() throws Exception {
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        return new Callers(List.of(new CallerSpec("ops", null, "ops", hash, null,
                List.of(new CallerSpec.AllowRule("*", null)))), passwords);
    }

    private static HttpRequest basic(String user, String password) {
        HttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/metrics");
        r.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private static ScrapeOutcome refusal(CompletableFuture<Callers.Caller> f) {
        Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
        Throwable cause = t.getCause() instanceof CompletionException c ? c.getCause() : t.getCause();
        return ((ScrapeException) cause).outcome();
    }

    @Test
    void aPasswordIsCheckedOffTheCallersThreadThenRemembered() throws Exception {
        Callers c = callers();
        HttpRequest right = basic("ops", "s3cret");
        assertThat(c.identify(right, null)).as("not known yet: no bcrypt here").isNull();
        assertThat(c.verify(right).get(10, TimeUnit.SECONDS).name()).isEqualTo("ops");
        assertThat(c.identify(right, null).name()).as("remembered: no second bcrypt").isEqualTo("ops");
    }

    @Test
    void wrongUnknownAndOverLongPasswordsAre401() throws Exception {
        Callers c = callers();
        assertThat(refusal(c.verify(basic("ops", "wrong")))).isEqualTo(ScrapeOutcome.UNAUTHENTICATED);
        assertThat(refusal(c.verify(basic("nobody", "s3cret")))).isEqualTo(ScrapeOutcome.UNAUTHENTICATED);
        assertThat(refusal(c.verify(basic("ops", "x".repeat(73))))).as("more than bcrypt's 72 bytes")
                .isEqualTo(ScrapeOutcome.UNAUTHENTICATED);
        assertThat(c.identify(basic("ops", "wrong"), null)).as("a failure is not remembered").isNull();
    }

    @Test
    void aFullPoolShedsWith503() throws Exception {
        Callers c = callers();
        List<CompletableFuture<Callers.Caller>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(c.verify(basic("ops", "wrong-" + i)));
        }
        long shed = all.stream().filter(f -> refusal(f) == ScrapeOutcome.AUTH_OVERLOADED).count();
        assertThat(shed).as("one thread and two places in line: the rest are shed at once").isGreaterThan(10);
    }
}
