package io.kubescrape.config;

import java.util.List;
import java.util.Map;

/** A kubeconfig {@code exec} credential plugin (client.authentication.k8s.io/v1 or v1beta1), as EKS, GKE, AKS use. */
public record ExecSpec(String apiVersion, String command, List<String> args, Map<String, String> env,
                       String interactiveMode) {
    public ExecSpec {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        if (apiVersion == null || !apiVersion.startsWith("client.authentication.k8s.io/")) {
            throw new IllegalArgumentException("exec apiVersion \"" + apiVersion
                    + "\" is not client.authentication.k8s.io/v1 or v1beta1");
        }
        if ("Always".equals(interactiveMode)) {
            throw new IllegalArgumentException("exec plugin " + command + " needs a terminal (interactiveMode: Always); "
                    + "kubescrape runs unattended");
        }
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
