package io.kubescrape.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubescrape.config.CallerSpec;
import io.kubescrape.config.ConfigException;
import io.kubescrape.error.ScrapeException;
import io.kubescrape.error.ScrapeOutcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.kubescrape.route.Target;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * AUTHORIZE: who is calling (bearer token, basic auth against a bcrypt hash, or a client certificate's CN) and
 * what it may scrape. With no callers configured, anyone may scrape anything (kubescrape warns when such a server
 * listens off loopback). Tokens and certificates are decided at once; a basic-auth password is checked by bcrypt
 * on {@link PasswordCheck}'s pool, never on an event loop, and a success is remembered for a few minutes, keyed by
 * a digest of the credentials, so a steady caller pays bcrypt once. An unknown user costs a bcrypt too, against a
 * hash of the same cost, so the time taken does not tell which user names exist.
 */
public final class Callers {
    /** An authenticated caller; ANYONE when authentication is off. */
    public record Caller(String name, CallerSpec spec) {
        public static final Caller ANYONE = new Caller("anyone", null);

        public boolean allows(String cluster, String namespace) {
            return spec == null || spec.allows(cluster, namespace);
        }

        /** Whether the caller may scrape {@code target}: its namespace, or every one for a node or API server. */
        public boolean mayScrape(Target target) {
            return sees(target.cluster(), target.namespace());
        }

        /** Whether the caller may scrape in this namespace; {@code namespace} null: in every one (what spans it). */
        public boolean sees(String cluster, String namespace) {
            return spec == null || (namespace == null ? spec.allowsWhole(cluster) : spec.allows(cluster, namespace));
        }

        /** Whether the caller may do {@code grant} ("metrics", "lifecycle"); anyone may when callers are off. */
        public boolean granted(String grant) {
            return spec == null || spec.granted(grant);
        }
    }

    private record Token(byte[] digest, Caller caller) {
    }

    private final List<CallerSpec> specs;
    private final List<Token> tokens;
    private final PasswordCheck passwords;
    /** Checked for a user name no caller has, so that it takes as long as a known one. */
    private final String unknownUserHash;
    private final Cache<String, Caller> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public Callers(List<CallerSpec> specs, PasswordCheck passwords) throws ConfigException {
        this.specs = specs;
        this.passwords = passwords;
        ArrayList<Token> t = new ArrayList<>();
        int cost = 4;
        for (CallerSpec s : specs) {
            if (s.bearerTokenFile() != null) {
                try {
                    String token = Files.readString(s.bearerTokenFile(), StandardCharsets.UTF_8).trim();
                    if (token.isEmpty()) {
                        throw new ConfigException(s + ": bearer token file " + s.bearerTokenFile() + " is empty");
                    }
                    t.add(new Token(sha256(token), new Caller(s.name(), s)));
                } catch (IOException e) {
                    throw new ConfigException(s + ": cannot read " + s.bearerTokenFile() + ": " + e.getMessage());
                }
            }
            cost = Math.max(cost, cost(s.passwordHash()));
        }
        this.tokens = List.copyOf(t);
        this.unknownUserHash = specs.stream().anyMatch(s -> s.passwordHash() != null)
                ? BCrypt.withDefaults().hashToString(cost, "no caller has this user name".toCharArray()) : null;
    }

    /** No callers: anyone may scrape anything (tests, and servers on loopback without callers). */
    public static Callers none() {
        try {
            return new Callers(List.of(), null);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean enabled() {
        return !specs.isEmpty();
    }

    /**
     * The caller when it is known at once (no callers configured, a bearer token, a client certificate, or basic
     * auth verified a short while ago); null when a basic-auth password must be checked first ({@link #verify});
     * a 401 ScrapeException when it cannot be identified.
     */
    public Caller identify(HttpRequest request, ChannelHandlerContext ctx) {
        if (!enabled()) {
            return Caller.ANYONE;
        }
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] digest = sha256(auth.substring(7).trim());
            for (Token t : tokens) {
                if (MessageDigest.isEqual(t.digest, digest)) {
                    return t.caller;
                }
            }
        } else if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            Caller c = verified.getIfPresent(cacheKey(auth));
            if (c != null) {
                return c;
            }
            if (passwords != null && unknownUserHash != null) {
                return null; // a password to check: off this thread
            }
        } else {
            String cn = clientCn(ctx);
            for (CallerSpec s : specs) {
                if (cn != null && cn.equals(s.clientCn())) {
                    return new Caller(s.name(), s);
                }
            }
        }
        throw rejected(auth);
    }

    /**
     * Checks the request's basic-auth password on the password pool: completes with the caller, or fails with 401
     * (wrong, unknown or over-long) or 503 (the pool is full). Completes off the caller's thread.
     */
    public CompletableFuture<Caller> verify(HttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(rejected(auth));
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return CompletableFuture.failedFuture(rejected(auth));
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        if (PasswordCheck.tooLong(password)) {
            return CompletableFuture.failedFuture(new ScrapeException(ScrapeOutcome.UNAUTHENTICATED,
                    "the credentials were not accepted (a password longer than 72 bytes)"));
        }
        CallerSpec known = specs.stream().filter(s -> user.equals(s.username()) && s.passwordHash() != null)
                .findFirst().orElse(null);
        String key = cacheKey(auth);
        return passwords.matches(password, known != null ? known.passwordHash() : unknownUserHash).thenApply(ok -> {
            if (!ok || known == null) {
                throw rejected(auth);
            }
            Caller c = new Caller(known.name(), known);
            verified.put(key, c);
            return c;
        });
    }

    private static ScrapeException rejected(String auth) {
        return new ScrapeException(ScrapeOutcome.UNAUTHENTICATED, auth == null
                ? "this kubescrape requires credentials (a bearer token, basic auth or a client certificate)"
                : "the credentials were not accepted");
    }

    private static String cacheKey(String authorization) {
        return Base64.getEncoder().encodeToString(sha256(authorization.substring(6).trim()));
    }

    /** The cost factor of a bcrypt hash ($2a$10$…), or 4 when it has none to read. */
    private static int cost(String hash) {
        if (hash == null || hash.length() < 7 || hash.charAt(0) != '$') {
            return 4;
        }
        try {
            return Math.min(31, Integer.parseInt(hash.substring(4, 6)));
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    private static String clientCn(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            X509Certificate cert = (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (SSLPeerUnverifiedException | InvalidNameException | ClassCastException e) {
            return null;
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
