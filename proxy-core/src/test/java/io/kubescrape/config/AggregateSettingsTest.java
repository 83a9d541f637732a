package io.kubescrape.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateSettingsTest {
    @Test
    void sizesInBytesOrBinaryUnits() {
        assertThat(Sizes.bytes("k", "67108864")).isEqualTo(64L << 20);
        assertThat(Sizes.bytes("k", "64MiB")).isEqualTo(64L << 20);
        assertThat(Sizes.bytes("k", "64 mb")).isEqualTo(64L << 20);
        assertThat(Sizes.bytes("k", "1GiB")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> Sizes.bytes("k", "lots")).hasMessageContaining("is not a size");
    }

    @Test
    void sharingIsReadPerClusterOverTheDefaults(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("t"), "x");
        Path cfg = Files.writeString(dir.resolve("s.yaml"), "cluster_defaults: {scrape: {share_window: 2s}}\n"
                + "clusters:\n- {name: a, server: 'https://127.0.0.1:6443', token_file: " + token + "}\n"
                + "- {name: b, server: 'https://127.0.0.1:6443', token_file: " + token
                + ", scrape: {share_buffer: 0, share_window: 0s}}\n");
        ProxyConfig c = new ConfigLoader().load(cfg, List.of(), null);
        assertThat(c.clusters().get(0).scrape().shareWindow()).hasSeconds(2);
        assertThat(c.clusters().get(0).scrape().shareBufferBytes()).isEqualTo(8L << 20);
        assertThat(c.clusters().get(1).scrape().shareBufferBytes()).isZero();
        assertThat(c.clusters().get(1).scrape().shareWindow()).isZero();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "cluster_defaults: {scrape: {share_buffer: lots}}\n"
                + "clusters: [{name: a, server: 'https://127.0.0.1:6443', token_file: " + token + "}]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(bad, List.of(), null))
                .hasMessageContaining("share_buffer: \"lots\" is not a size");
    }

    @Test
    void theBlockIsReadWithDefaultsAndBoundsChecked(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("t"), "x");
        String cluster = "clusters: [{name: c, server: 'https://127.0.0.1:6443', token_file: " + token + "}]\n";
        Path cfg = Files.writeString(dir.resolve("a.yaml"), cluster + "aggregate: {max_bytes: 8MiB, max_pods: 50}\n");
        ProxyConfig c = new ConfigLoader().load(cfg, List.of(), null);
        assertThat(c.aggregate()).isEqualTo(new AggregateSettings(8L << 20, 50, 16));
        Path none = Files.writeString(dir.resolve("b.yaml"), cluster);
        assertThat(new ConfigLoader().load(none, List.of(), null).aggregate()).isEqualTo(AggregateSettings.BUILTIN);
        Path bad = Files.writeString(dir.resolve("c.yaml"), cluster + "aggregate: {concurrency: 0}\n");
        assertThatThrownBy(() -> new ConfigLoader().load(bad, List.of(), null))
                .hasMessageContaining("aggregate.concurrency must be 1-1000");
    }
}
