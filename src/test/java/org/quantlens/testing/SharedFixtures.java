package org.quantlens.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (ONNX conformance data, reference numbers) for tests that read it in place. When it is
 * absent the test is skipped with a reason that Surefire prints, never passed silently.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The shared folder: {@code -Dquantlens.shared=...}, else {@code ../shared} next to the project. */
    public static Path sharedDir() {
        String prop = System.getProperty("quantlens.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
        return p.toAbsolutePath().normalize();
    }

    /** {@code ../shared/<relative>}, or skips the calling test with a visible reason when it is missing. */
    public static Path require(String relative) {
        Path p = sharedDir().resolve(relative);
        if (!Files.exists(p)) {
            String why = "SKIPPED: " + p + " is absent (tests that read ../shared need the shared folder beside the project)";
            System.err.println(why);
            assumeTrue(false, why);
        }
        return p;
    }
}
