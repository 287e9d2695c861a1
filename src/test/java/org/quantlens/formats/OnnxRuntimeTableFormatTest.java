package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.testing.SharedFixtures;

class OnnxRuntimeTableFormatTest {
    @TempDir
    Path dir;

    @Test
    void readingOrtsTableGivesTheMinmaxCalibratorRanges() throws IOException {
        Path folder = SharedFixtures.require("reference/digits_lenet/ort_calibration_table");
        JsonNode minmax = new ObjectMapper().readTree(SharedFixtures.require("reference/digits_lenet/calibrators.json")
                .toFile()).path("minmax").path("tensors");
        ImportedTable imp = OnnxRuntimeTableFormat.read(folder, null);
        assertEquals(minmax.size(), imp.table().activationEntries().size());
        for (var it = minmax.fields(); it.hasNext(); ) {
            var f = it.next();
            ActivationEntry a = imp.table().activationEntries().get(f.getKey());
            assertEquals(f.getValue().path("lowest").get(0).asDouble(), a.observedMin(), f.getKey());
            assertEquals(f.getValue().path("highest").get(0).asDouble(), a.observedMax(), f.getKey());
            assertEquals("minmax", a.method());
        }
    }

    @Test
    void writingTheReadTableReproducesOrtsThreeFilesByteForByte() throws IOException {
        Path folder = SharedFixtures.require("reference/digits_lenet/ort_calibration_table");
        CalibrationTable t = OnnxRuntimeTableFormat.read(folder, null).table();
        Path out = dir.resolve("ort");
        OnnxRuntimeTableFormat.write(t, out);
        for (String name : List.of("calibration.json", "calibration.cache", "calibration.flatbuffers")) {
            assertArrayEquals(Files.readAllBytes(folder.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "no temporary folder left behind");
        }
    }

    @Test
    void scaleAndZeroPointFollowOrtsRuleHalfToEven() throws IOException {
        Path f = write("{\"CLS\": \"TensorsData\", \"data\": {\"x\": {\"lowest\": {\"data\": [-0.75]}, "
                + "\"highest\": {\"data\": [1.75]}}, \"r\": {\"lowest\": 0.5, \"highest\": [2.0]}}}");
        Map<String, ActivationEntry> u8 = OnnxRuntimeTableFormat.read(f, null).table().activationEntries();
        // scale = 2.5/255; -min/scale = 0.75*255/2.5 = 76.5 -> 76 (half to even)
        assertEquals((float) (2.5 / 255), u8.get("x").scale(), "float32 scale, as numpy computes it");
        assertEquals(76, u8.get("x").zeroPoint());
        // [0.5, 2] widens to [0, 2]: scale 2/255, zero point 0
        assertEquals(0.0, u8.get("r").min());
        assertEquals((float) (2.0 / 255), u8.get("r").scale());
        assertEquals(0.5, u8.get("r").observedMin());
        ActivationEntry s8 = OnnxRuntimeTableFormat.read(f, null, "int8-symmetric", 8).table().activationEntries().get("x");
        assertEquals(-1.75, s8.min());
        assertEquals((float) (1.75 / 127), s8.scale());
        assertEquals(0, s8.zeroPoint());
    }

    @Test
    void cacheValueIsTheLargerOfHighestAndLowestAsOrtWritesIt() throws IOException {
        CalibrationTable t = TestTables.table("uint8-asymmetric", Map.of("b", TestTables.act("minmax", -30.0, -2.0, 0.1, 255),
                "a", TestTables.act("minmax", -0.1, 1e-5, 0.1, 0)));
        Path out = dir.resolve("o");
        OnnxRuntimeTableFormat.write(t, out);
        assertEquals("a " + PythonRepr.repr(1e-5f) + "\nb -2.0\n", Files.readString(out.resolve("calibration.cache")));
    }

    @Test
    void roundTripKeepsRangesWithinFloat32Precision() {
        CalibrationTable t = TestTables.table("uint8-asymmetric", Map.of("x", TestTables.act("minmax", -0.3, 7.1, 0.029, 10),
                "y", TestTables.act("minmax", 0.0, 1e-3, 1e-3 / 255, 0)));
        Path out = dir.resolve("rt");
        OnnxRuntimeTableFormat.write(t, out);
        TestTables.assertSameRanges(t, OnnxRuntimeTableFormat.read(out, null).table());
    }

    @Test
    void tensorsTheLenetModelLacksAreListed() throws IOException {
        Model m = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        Path f = write("{\"CLS\": \"TensorsData\", \"data\": {\"input\": {\"lowest\": -1, \"highest\": 1}, "
                + "\"nope\": {\"lowest\": -1, \"highest\": 1}}}");
        ImportedTable imp = OnnxRuntimeTableFormat.read(f, m);
        assertEquals(List.of("nope"), imp.unknownTensors());
        assertEquals(List.of("input"), new ArrayList<>(imp.table().tensors().keySet()));
    }

    @Test
    void malformedTablesAreRejected() throws IOException {
        Path notOrt = write("{\"data\": {}}");
        assertTrue(assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(notOrt, null))
                .getMessage().startsWith(notOrt + ": not an ONNX Runtime calibration table"));
        Path swapped = write("{\"CLS\": \"TensorsData\", \"data\": {\"x\": {\"lowest\": 2, \"highest\": 1}}}");
        assertEquals(swapped + ": data \"x\": lowest 2.0 > highest 1.0",
                assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(swapped, null)).getMessage());
        Path missing = write("{\"CLS\": \"TensorsData\", \"data\": {\"x\": {\"lowest\": 2}}}");
        assertEquals(missing + ": data \"x\": missing \"highest\"",
                assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(missing, null)).getMessage());
        Path broken = write("{\"CLS\": ");
        assertTrue(assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(broken, null))
                .getMessage().startsWith(broken + ":1:"));
        Path huge = write("{\"CLS\": \"TensorsData\", \"data\": {\"x\": {\"lowest\": -1e300, \"highest\": 1}}}");
        assertEquals(huge + ": data \"x\": \"lowest\" -1.0E300 is outside the float32 range",
                assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(huge, null)).getMessage());
        Path emptyFolder = Files.createDirectory(dir.resolve("empty"));
        assertEquals(emptyFolder.resolve("calibration.json") + ": no such file",
                assertThrows(InvalidInputException.class, () -> OnnxRuntimeTableFormat.read(emptyFolder, null)).getMessage());
    }

    private int files;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("c" + (files++) + ".json");
        Files.writeString(p, text);
        return p;
    }
}
