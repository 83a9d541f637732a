package io.kubescrape.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * PEM bytes and where they came from (a file, or a kubeconfig's {@code -data} field). The origin is what
 * messages show; the bytes are never printed.
 */
public record PemMaterial(String origin, Path file, byte[] pem) {

    /** Equal PEM bytes from the same place: a reload that read the same files sees the same settings. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PemMaterial p && Objects.equals(origin, p.origin) && Objects.equals(file, p.file)
                && Arrays.equals(pem, p.pem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, file) * 31 + Arrays.hashCode(pem);
    }

    @Override
    public String toString() {
        return origin;
    }
}
