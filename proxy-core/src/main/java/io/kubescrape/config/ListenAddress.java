package io.kubescrape.config;

/** HOST:PORT to listen on; "[::1]:8080" for IPv6, port 0 for an ephemeral port. */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen address needs a host, e.g. 127.0.0.1:8080 or 0.0.0.0:8080");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be 0-65535");
        }
    }

    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" has no numeric port");
        }
        return new ListenAddress(host, port);
    }

    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
