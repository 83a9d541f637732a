package io.kubescrape.server.http;

import io.kubescrape.config.ListenAddress;
import io.kubescrape.config.ProxyConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The defence against DNS rebinding for a server that holds credentials: a page on another site can make a browser
 * send requests to 127.0.0.1 under the site's own name, and read the answers. A loopback listener therefore answers
 * only requests whose Host names it: localhost, a loopback address, the external address, or an allowed host. A
 * listener on any other address answers every Host (callers and TLS protect it there).
 */
public final class HostCheck {
    /** Answers every Host. */
    public static final HostCheck ANY = new HostCheck(null);

    private final Set<String> names;

    private HostCheck(Set<String> names) {
        this.names = names;
    }

    public static HostCheck of(ProxyConfig config) {
        ListenAddress listen = config.listen();
        if (!listen.isLoopback()) {
            return ANY;
        }
        Set<String> names = new HashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        names.add(bare(listen.host()));
        if (config.externalAddress() != null) {
            names.add(bare(ListenAddress.parse(config.externalAddress()).host()));
        }
        config.allowedHosts().forEach(h -> names.add(bare(h)));
        return new HostCheck(Set.copyOf(names));
    }

    /** Whether a request with this Host header (null: none, as HTTP/1.0 may) is answered. */
    public boolean allows(String hostHeader) {
        if (names == null || hostHeader == null) {
            return true;
        }
        return names.contains(bare(hostOf(hostHeader)));
    }

    /** The host part of a Host header: {@code name[:port]} or {@code [v6][:port]}. */
    private static String hostOf(String header) {
        String h = header.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Lower case, without IPv6 brackets or a trailing dot, so "LOCALHOST.", "[::1]" and "::1" compare equal. */
    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
