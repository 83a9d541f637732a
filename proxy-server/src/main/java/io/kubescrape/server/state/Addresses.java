package io.kubescrape.server.state;

/**
 * The address published as every SD target: the configured external address, else the Host a caller used (when it
 * is a plain host[:port]), else the bound listen address, known once the server is listening.
 */
public final class Addresses {
    private final String external;
    private volatile String listen = "127.0.0.1:8080";

    /** @param external HOST:PORT published as every SD target, or null for the address callers used */
    public Addresses(String external) {
        this.external = external;
    }

    public String external() {
        return external;
    }

    /** The bound listen address, the SD target of last resort. */
    public String listen() {
        return listen;
    }

    public void listen(String address) {
        listen = address;
    }

    /** What /sd publishes to a caller that used {@code host} (its Host header, may be null). */
    public String forCaller(String host) {
        if (external != null) {
            return external;
        }
        if (host != null && (host.matches("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")
                || host.matches("\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?"))) {
            return host;
        }
        return listen;
    }

    /** What file_sd and background renders publish: the external address, else the listen address. */
    public String usual() {
        return external != null ? external : listen;
    }
}
