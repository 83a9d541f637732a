package io.kubescrape.config;

import java.nio.file.Path;

/** A bearer token, given inline or as a file to read (and re-read when it rotates). Never printed. */
public record CredentialSpec(String token, Path tokenFile) {

    public static final CredentialSpec NONE = new CredentialSpec(null, null);

    public CredentialSpec {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("set token or token_file, not both");
        }
        if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("the token is empty or contains characters a header cannot carry");
        }
    }

    public boolean present() {
        return token != null || tokenFile != null;
    }

    @Override
    public String toString() {
        return token != null ? "token (inline)" : tokenFile != null ? "token file " + tokenFile : "no token";
    }
}
