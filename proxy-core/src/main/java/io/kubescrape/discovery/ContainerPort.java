package io.kubescrape.discovery;

/** One declared container port of a pod ({@code name} may be null). */
public record ContainerPort(String container, String name, int number, String protocol) {
}
