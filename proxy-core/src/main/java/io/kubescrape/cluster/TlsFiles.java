package io.kubescrape.cluster;

import io.kubescrape.config.PemMaterial;
import io.kubescrape.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Notices when a cluster's CA, client certificate or key files change on disk (certificates rotated by
 * cert-manager or a vault agent) and reads them anew; material given inline in a kubeconfig cannot change.
 */
final class TlsFiles {
    private final TlsSettings original;
    private List<FileTime> seen;

    TlsFiles(TlsSettings original) {
        this.original = original;
        this.seen = times();
    }

    /** The settings read anew when a file changed since the last call, else null. */
    TlsSettings changed() throws IOException {
        List<FileTime> now = times();
        if (now.equals(seen)) {
            return null;
        }
        TlsSettings fresh = new TlsSettings(reread(original.ca()), original.insecureSkipVerify(), original.serverName(),
                reread(original.clientCertificate()), reread(original.clientKey()));
        seen = now;
        return fresh;
    }

    boolean watched() {
        return file(original.ca()) || file(original.clientCertificate()) || file(original.clientKey());
    }

    private List<FileTime> times() {
        List<FileTime> t = new ArrayList<>();
        for (PemMaterial m : new PemMaterial[] {original.ca(), original.clientCertificate(), original.clientKey()}) {
            try {
                t.add(file(m) ? Files.getLastModifiedTime(m.file()) : null);
            } catch (IOException e) {
                t.add(null); // mid-rotation: try again next time
            }
        }
        return t;
    }

    private static boolean file(PemMaterial m) {
        return m != null && m.file() != null;
    }

    private static PemMaterial reread(PemMaterial m) throws IOException {
        return file(m) ? new PemMaterial(m.origin(), m.file(), Files.readAllBytes(m.file())) : m;
    }
}
