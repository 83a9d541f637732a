package io.kubescrape.config;

import java.nio.file.Path;

/**
 * PEM bytes and where they came from (a file, or a kubeconfig's {@code -data} field). The origin is what
 * messages show; the bytes are never printed.
 */
public record PemMaterial(String origin, Path file, byte[] pem) {

    @Override
    public String toString() {
        return origin;
    }
}
