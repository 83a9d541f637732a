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
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * AUTHORIZE: who is calling (bearer token, basic auth against a bcrypt hash, or a client certificate's CN) and
 * what it may scrape. With no callers configured, anyone may scrape anything (kubescrape warns when such a server
 * listens off loopback). Successful bcrypt checks are cached for a few minutes, keyed by a digest of the
 * credentials, so basic auth does not cost a bcrypt per scrape.
 */
public final class Callers {
    /** An authenticated caller; ANYONE when authentication is off. */
    public record Caller(String name, CallerSpec spec) {
        public static final Caller ANYONE = new Caller("anyone", null);

        public boolean allows(String cluster, String namespace) {
            return spec == null || spec.allows(cluster, namespace);
        }
    }

    private record Token(byte[] digest, Caller caller) {
    }

    private final List<CallerSpec> specs;
    private final List<Token> tokens;
    private final Cache<String, Caller> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public Callers(List<CallerSpec> specs) throws ConfigException {
        this.specs = specs;
        ArrayList<Token> t = new ArrayList<>();
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
        }
        this.tokens = List.copyOf(t);
    }

    boolean enabled() {
        return !specs.isEmpty();
    }

    /** The caller, or a 401 ScrapeException when it cannot be identified. */
    public Caller authenticate(HttpRequest request, ChannelHandlerContext ctx) {
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
            Caller c = basic(auth.substring(6).trim());
            if (c != null) {
                return c;
            }
        } else {
            String cn = clientCn(ctx);
            for (CallerSpec s : specs) {
                if (cn != null && cn.equals(s.clientCn())) {
                    return new Caller(s.name(), s);
                }
            }
        }
        throw new ScrapeException(ScrapeOutcome.UNAUTHENTICATED, auth == null
                ? "this kubescrape requires credentials (a bearer token, basic auth or a client certificate)"
                : "the credentials were not accepted");
    }

    private Caller basic(String encoded) {
        String key = Base64.getEncoder().encodeToString(sha256(encoded));
        Caller cached = verified.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        for (CallerSpec s : specs) {
            if (user.equals(s.username()) && BCrypt.verifyer().verify(password, s.passwordHash()).verified) {
                Caller c = new Caller(s.name(), s);
                verified.put(key, c);
                return c;
            }
        }
        return null;
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
