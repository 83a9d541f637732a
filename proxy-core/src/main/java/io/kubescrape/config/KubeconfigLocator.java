package io.kubescrape.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where kubectl would look when no kubeconfig is named: $KUBECONFIG (a path list), else ~/.kube/config. */
public final class KubeconfigLocator {
    private KubeconfigLocator() {
    }

    public static List<Path> defaults(String kubeconfigEnv, String userHome) throws ConfigException {
        List<Path> found = new ArrayList<>();
        if (kubeconfigEnv != null && !kubeconfigEnv.isBlank()) {
            for (String part : kubeconfigEnv.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
                    found.add(Path.of(part));
                }
            }
            if (found.isEmpty()) {
                throw new ConfigException("$KUBECONFIG=" + kubeconfigEnv + " names no readable file");
            }
            return found;
        }
        Path home = Path.of(userHome, ".kube", "config");
        if (!Files.isRegularFile(home)) {
            throw new ConfigException("no --config or --kubeconfig given, $KUBECONFIG is unset and " + home
                    + " does not exist");
        }
        return List.of(home);
    }
}
