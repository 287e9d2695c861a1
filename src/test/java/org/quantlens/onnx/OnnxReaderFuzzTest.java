package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;

/**
 * Fuzzes {@link OnnxReader} with arbitrary bytes: the only exception allowed out is {@link InvalidInputException}
 * with a one-line message naming the file; a model that reads must also survive a write and a second read.
 *
 * <p>Plain {@code mvn test} replays the committed seeds in {@code OnnxReaderFuzzTestInputs/readsOrRejects/}
 * (small models built by {@link FuzzSeeds}); {@code -Pfuzz} (JAZZER_FUZZ=1) fuzzes for real.
 */
class OnnxReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsOrRejects(byte[] data) {
        Model m;
        try {
            m = OnnxReader.read(data, null, "fuzz.onnx");
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage().startsWith("fuzz.onnx"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return;
        }
        OnnxReader.read(OnnxWriter.toBytes(m), null, "rewritten.onnx");
    }
}
