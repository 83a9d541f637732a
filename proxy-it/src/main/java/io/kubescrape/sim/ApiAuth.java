package io.kubescrape.sim;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** How the simulated API servers authenticate: the bearer token, or a client certificate TLS already verified. */
public final class ApiAuth {
    private ApiAuth() {
    }

    public static boolean authenticated(ChannelHandlerContext ctx, HttpRequest req, String token) {
        return authenticated(ctx, req, t -> t.equals(token));
    }

    /** The connection's TLS handler, also from an HTTP/2 stream (whose connection is its parent channel). */
    private static SslHandler tls(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        Channel connection = ch.parent() instanceof SocketChannel
                ? ch.parent() : ch;
        return connection.pipeline().get(SslHandler.class);
    }

    /** The CN of the verified client certificate, or null. */
    public static String clientCn(ChannelHandlerContext ctx) {
        SslHandler tls = tls(ctx);
        try {
            X509Certificate cert = (X509Certificate)
                    tls.engine().getSession().getPeerCertificates()[0];
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName())
                    .getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (SSLPeerUnverifiedException | InvalidNameException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** As above, with the accepted tokens decided by {@code tokens} (tests rotate them). */
    public static boolean authenticated(ChannelHandlerContext ctx, HttpRequest req,
                                        Predicate<String> tokens) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.startsWith("Bearer ") && tokens.test(auth.substring(7))) {
            return true;
        }
        SslHandler tls = tls(ctx);
        try {
            return tls != null && tls.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
