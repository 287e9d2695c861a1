package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;

class QuantLensJsonFormatTest {
    @TempDir
    Path dir;

    static final String CONTRACT_EXAMPLE = """
            {
              "format": "quantlens-calibration", "version": 1,
              "model": {"file": "model.onnx", "sha256": "abc"},
              "activations": {"scheme": "uint8-asymmetric", "bits": 8},
              "weights": {"scheme": "int8-symmetric", "bits": 8, "per_channel": true},
              "tensors": {
                "x": {"kind": "activation", "method": "kl-tensorrt", "manual": false, "min": -1.25, "max": 6.0,
                      "scale": 0.0284, "zero_point": 44, "observed_min": -3.1, "observed_max": 9.7},
                "w": {"kind": "weight", "axis": 0, "scale": [0.01, 0.02], "zero_point": [0, 0],
                      "min": [-1.27, -2.54], "max": [1.27, 2.54]}
              }
            }
            """;

    @Test
    void readsTheContractExample() throws IOException {
        ImportedTable imp = QuantLensJsonFormat.read(write(CONTRACT_EXAMPLE), null);
        CalibrationTable t = imp.table();
        assertEquals("model.onnx", t.model().file());
        assertEquals("uint8-asymmetric", t.activations().scheme());
        ActivationEntry x = t.activationEntries().get("x");
        assertEquals(new ActivationEntry("kl-tensorrt", false, -1.25, 6.0, 0.0284, 44, -3.1, 9.7), x);
        WeightEntry w = t.weightEntries().get("w");
        assertEquals(0, w.axis());
        assertArrayEquals(new double[] {-1.27, -2.54}, w.min());
        assertArrayEquals(new double[] {0.01, 0.02}, w.scale());
    }

    @Test
    void roundTripIsExact() {
        CalibrationTable t = QuantLensJsonFormat.parse("x", CONTRACT_EXAMPLE.getBytes());
        Path out = dir.resolve("t.json");
        QuantLensJsonFormat.write(t, out);
        CalibrationTable back = QuantLensJsonFormat.read(out, null).table();
        assertEquals(t.activationEntries(), back.activationEntries());
        assertEquals(t.model(), back.model());
        assertEquals(t.weights(), back.weights());
        WeightEntry w = back.weightEntries().get("w");
        assertArrayEquals(new double[] {1.27, 2.54}, w.max());
        assertArrayEquals(new int[] {0, 0}, w.zeroPoint());
    }

    @Test
    void unknownFormatAndVersionAreRejectedClearly() throws IOException {
        Path f = write(CONTRACT_EXAMPLE.replace("quantlens-calibration", "other"));
        assertEquals(f + ": unknown format 'other' (expected 'quantlens-calibration')",
                assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.read(f, null)).getMessage());
        Path v = write(CONTRACT_EXAMPLE.replace("\"version\": 1", "\"version\": 2"));
        assertEquals(v + ": unsupported version 2 (this QuantLens reads version 1)",
                assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.read(v, null)).getMessage());
    }

    @Test
    void invalidEntriesAreRejectedWithTheTensorName() throws IOException {
        assertRejected("\"scale\": 0.0284", "\"scale\": 0", "tensors \"x\": scale must be finite and > 0");
        assertRejected("\"scale\": 0.0284", "\"scale\": -1", "tensors \"x\": scale must be finite and > 0");
        assertRejected("\"min\": -1.25", "\"min\": 7", "tensors \"x\": need finite min <= max");
        assertRejected("\"zero_point\": 44", "\"zero_point\": 300", "tensors \"x\": zero_point 300 outside uint8-asymmetric 8-bit range [0, 255]");
        assertRejected("\"zero_point\": [0, 0]", "\"zero_point\": [0, -129]", "tensors \"w\": zero_point[1] -129 outside int8-symmetric");
        assertRejected("\"min\": [-1.27, -2.54]", "\"min\": [-1.27]", "tensors \"w\": scale, zero_point, min and max must be");
        assertRejected("\"scale\": 0.0284", "\"scale\": \"big\"", "tensors \"x\": \"scale\" is not a number");
        assertRejected("\"scale\": 0.0284", "\"scale\": 1e999", "tensors \"x\": scale must be finite");
        assertRejected("uint8-asymmetric", "uint7", "activations: unknown scheme 'uint7'");
    }

    @Test
    void syntaxErrorNamesLineAndColumn() throws IOException {
        Path f = write("{\n  \"format\": \n}");
        String msg = assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.read(f, null)).getMessage();
        assertTrue(msg.startsWith(f + ":3:1: not valid JSON"), msg);
        Path empty = write("");
        assertEquals(empty + ": empty file",
                assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.read(empty, null)).getMessage());
    }

    @Test
    void tensorsTheModelLacksAreListedNotKept() throws IOException {
        Model m = new Model(8, Map.of("", 13L), "t", "1", new Graph("g",
                List.of(Node.of("n", "Relu", List.of("x"), List.of("y"))), List.of(ValueInfo.of("x", DType.FLOAT32, 1)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1)), Map.of(), Map.of()), Map.of());
        ImportedTable imp = QuantLensJsonFormat.read(write(CONTRACT_EXAMPLE), m);
        assertEquals(List.of("w"), imp.unknownTensors());
        assertEquals(List.of("x"), List.copyOf(imp.table().tensors().keySet()));
    }

    @Test
    void writingAnInvalidTableFailsAndLeavesNoFile() {
        CalibrationTable bad = TestTables.table("int8-symmetric", Map.of("x", TestTables.act("m", 0, 1, Double.NaN, 0)));
        Path out = dir.resolve("bad.json");
        assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.write(bad, out));
        assertTrue(Files.notExists(out));
    }

    private void assertRejected(String from, String to, String expected) throws IOException {
        Path f = write(CONTRACT_EXAMPLE.replace(from, to));
        String msg = assertThrows(InvalidInputException.class, () -> QuantLensJsonFormat.read(f, null)).getMessage();
        assertTrue(msg.startsWith(f + ": " + expected), msg);
    }

    private int files;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("t" + (files++) + ".json");
        Files.writeString(p, text);
        return p;
    }
}
