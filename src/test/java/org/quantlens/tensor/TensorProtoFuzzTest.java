package org.quantlens.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link TensorProtoFormat#decode}: only {@link InvalidInputException} may escape, with a one-line message
 * naming the source, and a tensor that decodes must encode and decode to the same content.
 *
 * <p>Seeds: {@code TensorProtoFuzzTestInputs/decodesOrRejects/}, written by {@code org.quantlens.onnx.FuzzSeeds}.
 */
class TensorProtoFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodesOrRejects(byte[] data) {
        NamedTensor t;
        try {
            t = TensorProtoFormat.decode(data, "fuzz.pb", (loc, off, len) -> {
                throw InvalidInputException.of("fuzz.pb", "no external data here");
            });
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage().startsWith("fuzz.pb"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return;
        }
        NamedTensor back = TensorProtoFormat.decode(TensorProtoFormat.encode(t.name(), t.tensor()), "again.pb");
        assertTrue(back.tensor().contentEquals(t.tensor()), "re-encoded tensor differs");
    }
}
