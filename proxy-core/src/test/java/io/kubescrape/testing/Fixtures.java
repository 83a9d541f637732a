package io.kubescrape.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared fixtures ({@code shared/fixtures} beside the checkout), found from any module. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String name) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures").resolve(name);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("fixture " + name + " not found: the shared/ folder must sit beside the "
                + "checkout (../shared/fixtures)");
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
