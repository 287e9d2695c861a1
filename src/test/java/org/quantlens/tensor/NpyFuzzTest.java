package org.quantlens.tensor;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Feeds arbitrary bytes to the .npy reader: the only exception allowed to escape is InvalidInputException (with a
 * one-line message). Without JAZZER_FUZZ=1 this replays the committed seeds under
 * {@code NpyFuzzTestInputs/readNpy/}; {@code ./mvnw test -Pfuzz} fuzzes for real.
 */
class NpyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readNpy(byte[] data) {
        try {
            Tensor t = Npy.read(data, "fuzz.npy");
            if (t.size() != t.shape().size()) {
                throw new AssertionError("element count disagrees with shape " + t.shape());
            }
        } catch (InvalidInputException e) {
            if (e.getMessage() == null || e.getMessage().contains("\n")) {
                throw new AssertionError("error message must be one line: " + e.getMessage());
            }
        }
    }
}
