package io.kubescrape.cluster;

import io.kubescrape.config.CredentialSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;

/**
 * The Authorization header for a cluster: none, a fixed bearer token, or a token file that is re-read when it
 * changes (projected service-account tokens rotate). The file is stat'ed at most once a second.
 */
public abstract class TokenSource {
    /** The header value ("Bearer …"), or null when this cluster authenticates by certificate only. */
    public abstract String authorization();

    /** Whether a fresh credential can be had after the API server rejected this one (exec plugins). */
    public boolean refreshable() {
        return false;
    }

    /** Fetches a fresh credential; completes when it is in place (at once for sources that cannot refresh). */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.completedFuture(null);
    }

    /** "Bearer " and a token read at run time (file, exec plugin), refused unless header-safe; never shown. */
    static String bearer(String token, String origin) throws IOException {
        if (!CredentialSpec.headerSafe(token)) {
            throw new IOException("the bearer token from " + origin + " is empty or holds a space, line break or "
                    + "other character a header cannot carry");
        }
        return "Bearer " + token;
    }

    public static TokenSource of(CredentialSpec spec, String cluster) throws IOException {
        if (spec.exec() != null) {
            return new ExecTokenSource(spec.exec(), cluster);
        }
        if (spec.token() != null) {
            String header = "Bearer " + spec.token(); // checked by CredentialSpec
            return new TokenSource() {
                @Override
                public String authorization() {
                    return header;
                }
            };
        }
        if (spec.tokenFile() != null) {
            return new FileToken(spec.tokenFile());
        }
        return new TokenSource() {
            @Override
            public String authorization() {
                return null;
            }
        };
    }

    private static final class FileToken extends TokenSource {
        private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
        private final Path file;
        private volatile String header;
        private volatile FileTime modified;
        private volatile long checkedAt;

        FileToken(Path file) throws IOException {
            this.file = file;
            reload();
        }

        @Override
        public String authorization() {
            long now = System.nanoTime();
            if (now - checkedAt > CHECK_INTERVAL_NANOS) {
                checkedAt = now;
                try {
                    if (!Files.getLastModifiedTime(file).equals(modified)) {
                        reload();
                    }
                } catch (IOException e) {
                    // Keep the last good token: a rotation in progress must not fail scrapes.
                }
            }
            return header;
        }

        @Override
        public boolean refreshable() {
            return true;
        }

        /** After a 401: the token may have rotated since the last look; read the file now, off the caller's thread. */
        @Override
        public CompletableFuture<Void> refresh() {
            return CompletableFuture.runAsync(() -> {
                try {
                    reload();
                } catch (IOException e) {
                    // keep the last good token; the scrape answers with the API server's rejection
                }
            });
        }

        private void reload() throws IOException {
            FileTime time = Files.getLastModifiedTime(file);
            String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.isEmpty()) {
                throw new IOException("token file " + file + " is empty");
            }
            header = bearer(token, "token file " + file);
            modified = time;
        }
    }
}
