package io.kubescrape.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes kubeconfig files for tests, one context per cluster+user pair, in kubectl's layout. */
public final class Kubeconfigs {
    private final List<String> clusters = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<String> contexts = new ArrayList<>();

    /** @param userFields YAML lines of the user (already indented by 4), e.g. "    token: abc" */
    public Kubeconfigs context(String name, String server, String caPem, String... userFields) {
        clusters.add("- name: " + name + "-cluster\n  cluster:\n    server: " + server + "\n"
                + (caPem == null ? "" : "    certificate-authority-data: " + TestPki.base64(caPem) + "\n"));
        users.add("- name: " + name + "-user\n  user:\n" + (userFields.length == 0 ? "    {}\n"
                : String.join("\n", userFields) + "\n"));
        contexts.add("- name: " + name + "\n  context:\n    cluster: " + name + "-cluster\n    user: " + name
                + "-user\n");
        return this;
    }

    public String yaml() {
        return "apiVersion: v1\nkind: Config\nclusters:\n" + String.join("", clusters) + "users:\n"
                + String.join("", users) + "contexts:\n" + String.join("", contexts)
                + "current-context: " + (contexts.isEmpty() ? "\"\"" : contexts.get(0).split("\n")[0].substring(8))
                + "\n";
    }

    public Path write(Path file) throws IOException {
        Files.writeString(file, yaml());
        return file;
    }

    /** The user fields for a client certificate given inline. */
    public static String[] clientCert(TestPki.Issued client, TestPki.KeyFormat format) {
        return new String[] {"    client-certificate-data: " + TestPki.base64(client.certificatePem()),
                "    client-key-data: " + TestPki.base64(client.keyPem(format))};
    }

    public static String[] token(String token) {
        return new String[] {"    token: " + token};
    }
}
