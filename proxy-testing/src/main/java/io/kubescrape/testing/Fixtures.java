package io.kubescrape.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The project's fixtures, real captures kept in {@code proxy-testing/src/main/resources/fixtures}. They are read from the
 * classpath, so tests in any module and the benchmark harness inside {@code kube-sim.jar} find them alike, and no
 * path outside the repository is ever consulted.
 */
public final class Fixtures {
    private static final String ROOT = "/fixtures/";

    private Fixtures() {
    }

    /** The fixture's bytes, e.g. {@code bytes("k8s/pod.json")}; a missing name is a programming error. */
    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name + " on the classpath (" + ROOT + name + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading fixture " + name, e);
        }
    }
}
