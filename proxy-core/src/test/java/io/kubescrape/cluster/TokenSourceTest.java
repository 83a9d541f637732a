package io.kubescrape.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubescrape.config.CredentialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens become an Authorization header sent without further checks: one that could split a request is refused. */
class TokenSourceTest {

    @Test
    void aTokenBecomesABearerHeader(@TempDir Path dir) throws Exception {
        assertThat(TokenSource.of(new CredentialSpec("abc.DEF-123_~+/=", null, null), "prod").authorization())
                .isEqualTo("Bearer abc.DEF-123_~+/=");
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");
        assertThat(TokenSource.of(new CredentialSpec(null, file, null), "prod").authorization())
                .isEqualTo("Bearer from-file");
    }

    @Test
    void aTokenWithALineBreakOrSpaceIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"secret\r\nX-Injected: 1", "secret value", "secret\tx", "sécret"}) {
            assertThatThrownBy(() -> new CredentialSpec(bad, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
        }
        Path file = Files.writeString(dir.resolve("token"), "secret\nX-Injected: 1\n");
        assertThatThrownBy(() -> TokenSource.of(new CredentialSpec(null, file, null), "prod"))
                .isInstanceOf(IOException.class).hasMessageContaining("token file").hasMessageNotContaining("secret");
    }
}
