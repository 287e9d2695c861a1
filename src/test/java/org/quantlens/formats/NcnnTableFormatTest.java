package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class NcnnTableFormatTest {
    @TempDir
    Path dir;

    /** x -> Conv "conv1" (2 channels) -> Relu -> Gemm without a name (transB=1, 3 outputs) -> fc_out. */
    static Model model() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("conv1.weight", Tensor.ofFloats(Shape.of(2, 1, 1, 1), 0.5f, -2f));
        init.put("fc.w", Tensor.ofFloats(Shape.of(3, 2), 1f, -4f, 0f, 0f, 0.25f, 0.125f));
        List<Node> nodes = List.of(
                Node.of("conv1", "Conv", List.of("x", "conv1.weight"), List.of("c1")),
                Node.of("relu", "Relu", List.of("c1"), List.of("relu_out")),
                Node.of("", "Gemm", List.of("relu_out", "fc.w"), List.of("fc_out"), Attribute.ofInt("transB", 1)));
        return new Model(8, Map.of("", 13L), "t", "1", new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 1, 1, 1)),
                List.of(ValueInfo.of("fc_out", DType.FLOAT32, 1, 3)), init, Map.of()), Map.of());
    }

    static CalibrationTable table() {
        Map<String, TensorEntry> m = new LinkedHashMap<>();
        m.put("x", TestTables.act("minmax", -1.0, 2.54, 3.54 / 255, 72));
        m.put("relu_out", TestTables.act("minmax", 0.0, 6.35, 6.35 / 255, 0));
        m.put("conv1.weight", new WeightEntry(0, new double[] {0.5 / 127, 2.0 / 127}, new int[2],
                new double[] {-0.5, -2}, new double[] {0.5, 2}));
        return TestTables.table("uint8-asymmetric", m);
    }

    /**
     * Expected text by hand: conv1 weights 127/0.5 = 254 and 127/2 = 63.5; the Gemm (named by its output, as
     * onnx2ncnn does) has no weight entry, so its rows' max |w| 4, 0, 0.25 give 31.75, 0 (all-zero channel) and 508;
     * inputs 127/2.54 = 50 and 127/6.35 = 20.
     */
    @Test
    void writesNcnn2tableLayoutWithLayerNamesFromTheModel() throws IOException {
        Path out = dir.resolve("t.table");
        List<String> warnings = NcnnTableFormat.write(table(), model(), out);
        assertEquals("conv1_param_0 254.000000 63.500000 \n"
                + "fc_out_param_0 31.750000 0.000000 508.000000 \n"
                + "conv1 50.000000 \n"
                + "fc_out 20.000000 \n", Files.readString(out));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("fc.w"), warnings.toString());
    }

    @Test
    void readingMapsLayersBackToInputBlobsAndWeights() throws IOException {
        Path in = write("conv1_param_0 254.000000 63.500000 \nfc_out_param_0 31.75 inf 508\nconv1 50.000000 \nfc_out 20 \n");
        ImportedTable imp = NcnnTableFormat.read(in, model());
        assertEquals(List.of(), imp.unknownTensors());
        ActivationEntry x = imp.table().activationEntries().get("x");
        assertEquals(2.54, x.max(), 1e-6);
        assertEquals(-2.54, x.min(), 1e-6);
        assertEquals(0, x.zeroPoint());
        assertEquals(6.35, imp.table().activationEntries().get("relu_out").max(), 1e-6);
        WeightEntry fc = imp.table().weightEntries().get("fc.w");
        assertEquals(0, fc.axis());
        assertArrayEquals(new double[] {4, 0, 0.25}, fc.max(), 1e-6);
        assertEquals(1.0, fc.scale()[1], "an all-zero channel gets scale 1 (ORT's rule for an empty range)");
        assertArrayEquals(new double[] {-0.5, -2}, imp.table().weightEntries().get("conv1.weight").min(), 1e-6);
    }

    @Test
    void roundTripKeepsInputThresholdsAndWeightRanges() {
        Path out = dir.resolve("rt.table");
        CalibrationTable t = table();
        NcnnTableFormat.write(t, model(), out);
        CalibrationTable back = NcnnTableFormat.read(out, model()).table();
        TestTables.assertSameThresholds(t, back);
        assertArrayEquals(new double[] {0.5, 2}, back.weightEntries().get("conv1.weight").max(), 1e-6);
    }

    @Test
    void groupedConvGetsOneScalePerGroup() throws IOException {
        Map<String, Tensor> init = Map.of("w", Tensor.ofFloats(Shape.of(4, 1, 1, 1), 1f, -2f, 0.5f, 0.25f));
        Model m = new Model(8, Map.of("", 13L), "t", "1", new Graph("g",
                List.of(Node.of("dw", "Conv", List.of("x", "w"), List.of("y"), Attribute.ofInt("group", 2))),
                List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2, 1, 1)), List.of(ValueInfo.of("y", DType.FLOAT32, 1, 4, 1, 1)),
                init, Map.of()), Map.of());
        Path out = dir.resolve("g.table");
        NcnnTableFormat.write(TestTables.table("int8-symmetric", Map.of("x", TestTables.sym("minmax", 1.27))), m, out);
        // groups {1, -2} and {0.5, 0.25}: 127/2 = 63.5 and 127/0.5 = 254; input 127/1.27 = 100
        assertEquals("dw_param_0 63.500000 254.000000 \ndw 100.000000 \n", Files.readString(out));
        WeightEntry w = NcnnTableFormat.read(out, m).table().weightEntries().get("w");
        assertArrayEquals(new double[] {2, 2, 0.5, 0.5}, w.max(), 1e-6);
    }

    @Test
    void smallScalesKeepFloat32PrecisionBeyondSixDecimals() {
        assertEquals("50.000000 ", NcnnTableFormat.format(50));
        String tiny = NcnnTableFormat.format(127.0 / 300000.0);
        assertEquals((float) (127.0 / 300000.0), Float.parseFloat(tiny.trim()));
    }

    @Test
    void layersTheModelLacksAreListedAsUnknown() throws IOException {
        Path in = write("ghost_param_0 1.0\nghost 2.0\nconv1 50\n");
        ImportedTable imp = NcnnTableFormat.read(in, model());
        assertEquals(List.of("ghost_param_0", "ghost"), imp.unknownTensors());
        assertEquals(List.of("x"), List.copyOf(imp.table().tensors().keySet()));
    }

    @Test
    void malformedLinesAreReportedWithTheirNumbers() throws IOException {
        assertFails("conv1 50\nconv1_param_0 1 2 3\n", ":2: layer 'conv1' needs 2 weight scales, got 3");
        assertFails("conv1 5x0\n", ":1: bad number '5x0'");
        assertFails("conv1 50\n\nconv1 50\n", ":3: duplicate entry 'conv1' (first on line 1)");
        assertFails("conv1 0\n", ":1: scale must be finite and > 0 (got '0')");
        assertFails("conv1 -3\n", ":1: scale must be finite and > 0 (got '-3')");
        assertFails("conv1 inf\n", ":1: scale must be finite and > 0 (got 'inf')");
        assertFails("conv1 nan\n", ":1: bad number 'nan'");
        assertFails("conv1_param_0 -1 2\n", ":1: scale must be finite and > 0 (got '-1')");
        assertFails("conv1\n", ":1: no scales after 'conv1'");
        assertFails("conv1 1e-40\n", ":1: scale '1e-40' is too small: 127/scale does not fit float32");
        Path empty = write("\n\n");
        assertEquals(empty + ": empty file",
                assertThrows(InvalidInputException.class, () -> NcnnTableFormat.read(empty, model())).getMessage());
    }

    private void assertFails(String text, String expected) throws IOException {
        Path in = write(text);
        assertEquals(in + expected, assertThrows(InvalidInputException.class, () -> NcnnTableFormat.read(in, model())).getMessage());
    }

    private int files;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("n" + (files++) + ".table");
        Files.writeString(p, text);
        return p;
    }
}
