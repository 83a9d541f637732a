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
        if (("Bearer " + token).equals(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
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
