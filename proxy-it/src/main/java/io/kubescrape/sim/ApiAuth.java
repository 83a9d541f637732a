package io.kubescrape.sim;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLPeerUnverifiedException;

/** How the simulated API servers authenticate: the bearer token, or a client certificate TLS already verified. */
public final class ApiAuth {
    private ApiAuth() {
    }

    public static boolean authenticated(ChannelHandlerContext ctx, HttpRequest req, String token) {
        return authenticated(ctx, req, t -> t.equals(token));
    }

    /** As above, with the accepted tokens decided by {@code tokens} (tests rotate them). */
    public static boolean authenticated(ChannelHandlerContext ctx, HttpRequest req,
                                        java.util.function.Predicate<String> tokens) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.startsWith("Bearer ") && tokens.test(auth.substring(7))) {
            return true;
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        try {
            return tls != null && tls.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
