package io.kubescrape.discovery;

import io.kubescrape.route.KubeNames;

/**
 * Whether discovery can use a pod: every field that ends up in a URL, a target label or a page must be what a
 * conforming API server sends. A faulty server (or a proxy in front of one) may send anything; such a pod is skipped,
 * and everything else goes on.
 */
public final class PodCheck {
    private PodCheck() {
    }

    /** The reason discovery cannot use {@code pod} (a metric tag), or null when it can. */
    public static String problem(PodInfo pod) {
        if (pod.namespace() == null || !KubeNames.isDns1123Label(pod.namespace())) {
            return "invalid_namespace";
        }
        if (pod.name() == null || !KubeNames.isDns1123Subdomain(pod.name())) {
            return "invalid_name";
        }
        for (ContainerPort port : pod.ports()) {
            if (!KubeNames.isPortNumber(port.number()) || port.name() != null && !KubeNames.isPortName(port.name())) {
                return "invalid_port";
            }
        }
        return null;
    }

    /** What to log of a rejected name: bounded, and with anything unprintable escaped by the caller. */
    static String shown(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
