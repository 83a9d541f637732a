package io.kubescrape.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubescrape.config.ConfigLoader;
import io.kubescrape.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCheckTest {
    private static ProxyConfig config(Path dir, String extra) throws Exception {
        Path cfg = Files.writeString(dir.resolve("k.yaml"), """
                clusters: [{name: prod, server: 'https://10.0.0.1:6443', token: t}]
                """ + extra);
        return new ConfigLoader().load(cfg, List.of(), null);
    }

    @Test
    void aLoopbackListenerAnswersItsOwnNamesOnly(@TempDir Path dir) throws Exception {
        HostCheck check = HostCheck.of(config(dir, "listen: 127.0.0.1:8080\nexternal_address: ks.example:443\n"
                + "allowed_hosts: [prom.internal]\n"));
        for (String ok : new String[] {"localhost", "localhost:8080", "LocalHost.", "127.0.0.1:8080", "[::1]:8080",
            "ks.example", "ks.example:443", "prom.internal:8080", null}) {
            assertThat(check.allows(ok)).as(String.valueOf(ok)).isTrue();
        }
        for (String bad : new String[] {"attacker.example", "attacker.example:8080", "127.0.0.1.nip.io",
            "localhost.attacker.example", "[::2]", ""}) {
            assertThat(check.allows(bad)).as(bad).isFalse();
        }
    }

    @Test
    void anyOtherListenerAnswersEveryHost(@TempDir Path dir) throws Exception {
        HostCheck check = HostCheck.of(config(dir, "listen: 0.0.0.0:8080\n"));
        assertThat(check.allows("attacker.example")).isTrue();
    }

    @Test
    void theCommandLineAddsAllowedHosts(@TempDir Path dir) throws Exception {
        ProxyConfig cfg = config(dir, "").withAllowedHosts(List.of("monitoring.example"));
        assertThat(HostCheck.of(cfg).allows("monitoring.example:8080")).isTrue();
    }
}
