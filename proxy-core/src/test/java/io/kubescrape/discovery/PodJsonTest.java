package io.kubescrape.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PodJsonTest {
    @Test
    void readsTheFieldsKubescrapeNeedsFromARealPod() throws IOException {
        PodInfo pod = PodJson.read(new ByteArrayInputStream(Fixtures.bytes("k8s/pod.json")));
        assertThat(pod.name()).isEqualTo("web-0");
        assertThat(pod.namespace()).isEqualTo("default");
        assertThat(pod.labels()).containsEntry("app", "web");
        assertThat(pod.annotation("prometheus.io/port")).isEqualTo("9100");
        assertThat(pod.portNamed("metrics").number()).isEqualTo(9100);
        assertThat(pod.portNamed("http").number()).isEqualTo(8080);
        assertThat(pod.phase()).isEqualTo("Running");
        assertThat(pod.nodeName()).isEqualTo("node-1");
        assertThat(pod.podIp()).isNotBlank();
        assertThat(pod.ready()).isTrue();
    }

    @Test
    void rejectsWhatIsNotAPod() {
        assertThatThrownBy(() -> PodJson.read(new ByteArrayInputStream(Fixtures.bytes("k8s/status-404-pod.json"))))
                .isInstanceOf(IOException.class).hasMessageContaining("Status");
        assertThatThrownBy(() -> PodJson.read(new ByteArrayInputStream("[1]".getBytes())))
                .isInstanceOf(IOException.class);
    }
}
