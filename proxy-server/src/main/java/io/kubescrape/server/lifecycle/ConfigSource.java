package io.kubescrape.server.lifecycle;

import io.kubescrape.config.ConfigException;
import io.kubescrape.config.ProxyConfig;

/** Loads the configuration anew from the same files and flags it was first loaded from (for reloads). */
@FunctionalInterface
public interface ConfigSource {
    ProxyConfig load() throws ConfigException;
}
