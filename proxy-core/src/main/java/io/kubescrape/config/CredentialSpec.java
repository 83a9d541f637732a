package io.kubescrape.config;

import java.nio.file.Path;

/** A bearer token, given inline or as a file to read (and re-read when it rotates). Never printed. */
public record CredentialSpec(String token, Path tokenFile, ExecSpec exec) {

    public static final CredentialSpec NONE = new CredentialSpec(null, null, null);

    public CredentialSpec(String token, Path tokenFile) {
        this(token, tokenFile, null);
    }

    public CredentialSpec {
        if ((token != null ? 1 : 0) + (tokenFile != null ? 1 : 0) + (exec != null ? 1 : 0) > 1) {
            throw new IllegalArgumentException("set one of token, token_file or exec, not several");
        }
        if (token != null && !headerSafe(token)) {
            throw new IllegalArgumentException("the token is empty or contains characters a header cannot carry");
        }
    }

    /**
     * Whether a token may go into an Authorization header as it is: not empty, visible ASCII only. Tokens are sent
     * without further checks, so a line break would split the request.
     */
    public static boolean headerSafe(String token) {
        if (token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < 0x21 || token.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public boolean present() {
        return token != null || tokenFile != null || exec != null;
    }

    @Override
    public String toString() {
        return token != null ? "token (inline)" : tokenFile != null ? "token file " + tokenFile
                : exec != null ? "exec plugin " + exec.command() : "no token";
    }
}
