package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.cli.CliTest.Outcome;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.onnx.OnnxWriter;
import org.quantlens.onnx.TestModels;
import org.quantlens.quant.QuantScheme;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** {@code export} and {@code import} end to end: round trips per format, the TensorRT golden file, bad input. */
class ExportImportCommandTest {
    @TempDir
    static Path shared;
    static Path lenet;
    static Model lenetModel;
    static CalibrationTable minmax;
    static Path minmaxJson;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheLenetMinmaxTable() {
        lenet = SharedFixtures.require("reference/digits_lenet/model.onnx");
        lenetModel = OnnxReader.read(lenet);
        minmax = MinMaxTables.of(lenetModel, Npy.read(lenet.resolveSibling("calib.npy")), ModelFiles.reference(lenet),
                QuantScheme.INT8_SYMMETRIC);
        minmaxJson = shared.resolve("lenet-minmax.json");
        QuantLensJsonFormat.write(minmax, minmaxJson);
    }

    private CalibrationTable exportThenImport(String format) {
        Path exported = dir.resolve("lenet." + format);
        Outcome e = CliTest.run("export", minmaxJson.toString(), "--format", format, "--model", lenet.toString(),
                "--out", exported.toString());
        assertEquals(0, e.status(), e.out() + e.err());
        assertTrue(e.out().contains("wrote " + exported), e.out());
        Path back = dir.resolve("back.json");
        Outcome i = CliTest.run("import", exported.toString(), "--format", format, "--model", lenet.toString(),
                "--out", back.toString(), "--scheme", "int8-symmetric");
        assertEquals(0, i.status(), i.out() + i.err());
        assertFalse(i.out().contains("not imported"), i.out());
        CalibrationTable t = TableFormats.read(back, TableFormat.QUANTLENS_JSON, lenetModel).table();
        assertEquals(minmax.model(), t.model(), "import names the model by file name and sha256");
        return t;
    }

    @Test
    void quantlensJsonRoundTripIsTheSameFile() throws IOException {
        CalibrationTable back = exportThenImport("quantlens-json");
        assertEquals(Files.readString(minmaxJson), QuantLensJsonFormat.toJson(back));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tensorrt", "onnxruntime"})
    void activationOnlyFormatsKeepEveryRangeWithinFloat32Precision(String format) {
        CalibrationTable back = exportThenImport(format);
        assertEquals(minmax.activationEntries().keySet(), back.activationEntries().keySet());
        minmax.activationEntries().forEach((name, e) -> {
            ActivationEntry a = back.activationEntries().get(name);
            assertEquals(e.min(), a.min(), e.max() * 2e-7, name + " min");
            assertEquals(e.max(), a.max(), e.max() * 2e-7, name + " max");
            assertEquals(0, a.zeroPoint(), name);
        });
    }

    @Test
    void ncnnKeepsLayerInputThresholdsAndWeightRanges() {
        CalibrationTable back = exportThenImport("ncnn");
        List<String> layerInputs = quantizableNodes().stream().map(n -> n.input(0)).toList();
        assertEquals(layerInputs, List.copyOf(back.activationEntries().keySet()));
        for (String name : layerInputs) {
            ActivationEntry e = minmax.activationEntries().get(name);
            assertEquals(e.max(), back.activationEntries().get(name).max(), e.max() * 2e-7, name);
        }
        assertWeightRangesKept(back);
    }

    @Test
    void onnxQdqKeepsScalesOfEveryLayerInputAndTheWeightRanges() {
        CalibrationTable back = exportThenImport("onnx-qdq");
        for (Node n : quantizableNodes()) {
            ActivationEntry a = back.activationEntries().get(n.input(0));
            assertNotNull(a, "QDQ model quantizes the input of " + n.name());
            ActivationEntry e = minmax.activationEntries().get(n.input(0));
            assertEquals((float) e.scale(), (float) a.scale(), n.input(0));
            assertEquals(e.zeroPoint(), a.zeroPoint(), n.input(0));
        }
        back.activationEntries().forEach((name, a) -> {
            ActivationEntry e = minmax.activationEntries().get(name);
            assertEquals(e.max(), a.max(), e.max() * 1e-6, name + ": 127 * float32(t/127) is t");
        });
        assertWeightRangesKept(back);
    }

    private void assertWeightRangesKept(CalibrationTable back) {
        assertEquals(minmax.weightEntries().keySet(), back.weightEntries().keySet());
        minmax.weightEntries().forEach((name, w) -> {
            double[] got = back.weightEntries().get(name).max();
            assertEquals(w.max().length, got.length, name);
            for (int c = 0; c < got.length; c++) {
                assertEquals(w.max()[c], got[c], w.max()[c] * 1e-6, name + "[" + c + "]");
            }
        });
    }

    private static List<Node> quantizableNodes() {
        return lenetModel.graph().nodes().stream()
                .filter(n -> n.opType().equals("Conv") || n.opType().equals("Gemm") || n.opType().equals("MatMul"))
                .toList();
    }

    /**
     * The hand-written table of the TensorRT golden file (see formats.TensorRtCacheFormatTest for how the golden
     * hex was computed: float32 bits of threshold/127 for thresholds 2.54, 6.35 and 127), on a tiny model that has
     * those tensor names.
     */
    @Test
    void tensorrtExportOfTheGoldenTableMatchesTheGoldenFileByteForByte() throws IOException {
        Path model = goldenModel();
        Path table = dir.resolve("golden.json");
        Files.writeString(table, """
                {"format": "quantlens-calibration", "version": 1,
                 "model": {"file": "golden.onnx", "sha256": ""},
                 "activations": {"scheme": "int8-symmetric", "bits": 8},
                 "weights": {"scheme": "int8-symmetric", "bits": 8, "per_channel": true},
                 "tensors": {
                  "input": {"kind": "activation", "method": "kl-tensorrt", "min": -1.0, "max": 2.54, "scale": 0.02, "zero_point": 0},
                  "conv1/out:0": {"kind": "activation", "method": "kl-tensorrt", "min": 0.0, "max": 6.35, "scale": 0.05, "zero_point": 0},
                  "relu": {"kind": "activation", "method": "kl-tensorrt", "min": -127.0, "max": 3.0, "scale": 1.0, "zero_point": 0},
                  "conv1.weight": {"kind": "weight", "axis": 0, "scale": [0.01, 0.02], "zero_point": [0, 0],
                                   "min": [-1.27, -2.54], "max": [1.27, 2.54]}}}
                """);
        Path out = dir.resolve("golden.cache");
        Outcome o = CliTest.run("export", table.toString(), "--format", "tensorrt", "--model", model.toString(),
                "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/org/quantlens/formats/tensorrt_golden.cache")) {
            golden = in.readAllBytes();
        }
        assertEquals(new String(golden, StandardCharsets.UTF_8), Files.readString(out));
        assertArrayEquals(golden, Files.readAllBytes(out));
        assertTrue(o.err().startsWith("quantlens: note: ") && o.err().contains("weight"),
                "the weight TensorRT cannot carry is a note: " + o.err());
    }

    /** input [1,1,4,4] -> Conv(conv1.weight, 2 channels) -> "conv1/out:0" -> Relu -> "relu". */
    private Path goldenModel() throws IOException {
        Node conv = Node.of("conv1", "Conv", List.of("input", "conv1.weight"), List.of("conv1/out:0"),
                Attribute.ofInts("kernel_shape", 1, 1));
        Node relu = Node.of("relu1", "Relu", List.of("conv1/out:0"), List.of("relu"));
        Graph g = new Graph("golden", List.of(conv, relu), List.of(ValueInfo.of("input", DType.FLOAT32, 1, 1, 4, 4)),
                List.of(ValueInfo.of("relu", DType.FLOAT32, 1, 2, 4, 4)),
                Map.of("conv1.weight", Tensor.ofFloats(Shape.of(2, 1, 1, 1), 1.27f, -2.54f)), Map.of());
        Path p = dir.resolve("golden.onnx");
        OnnxWriter.write(TestModels.model(g, 13), p);
        return p;
    }

    @Test
    void helpListsExportAndImport() {
        Outcome o = CliTest.run("--help");
        assertEquals(0, o.status());
        assertTrue(o.out().contains("export") && o.out().contains("import"), o.out());
    }

    @Test
    void importsOnnxRuntimesOwnQdqModelAndCalibrationTable() throws IOException {
        Path qdq = lenet.resolveSibling("qdq_minmax_per_channel.onnx");
        Path fromQdq = dir.resolve("qdq.json");
        Outcome o = CliTest.run("import", qdq.toString(), "--format", "onnx-qdq", "--model", lenet.toString(),
                "--out", fromQdq.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertFalse(o.out().contains("not imported"), o.out());
        CalibrationTable t = TableFormats.read(fromQdq, TableFormat.QUANTLENS_JSON, lenetModel).table();
        assertEquals("uint8-asymmetric", t.activations().scheme());
        assertTrue(t.weights().perChannel());
        assertEquals(minmax.weightEntries().keySet(), t.weightEntries().keySet());

        Path fromOrt = dir.resolve("ort.json");
        Outcome p = CliTest.run("import", lenet.resolveSibling("ort_calibration_table").toString(), "--format",
                "onnxruntime", "--model", lenet.toString(), "--out", fromOrt.toString());
        assertEquals(0, p.status(), p.out() + p.err());
        CalibrationTable ort = TableFormats.read(fromOrt, TableFormat.QUANTLENS_JSON, lenetModel).table();
        assertEquals("uint8-asymmetric", ort.activations().scheme(), "ONNX Runtime's default when --scheme is absent");
        assertEquals(minmax.activationEntries().keySet(), ort.activationEntries().keySet());
    }

    @Test
    void importListsTensorsTheModelLacksAndKeepsTheRest() throws IOException {
        Path cache = dir.resolve("extra.cache");
        Files.writeString(cache, "TRT-8601-EntropyCalibration2\ninput: 3ca3d70a\nghost_tensor: 3f800000\n");
        Path out = dir.resolve("t.json");
        Outcome o = CliTest.run("import", cache.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("ghost_tensor") && o.out().contains("not imported"), o.out());
        CalibrationTable t = TableFormats.read(out, TableFormat.QUANTLENS_JSON, lenetModel).table();
        assertEquals(List.of("input"), List.copyOf(t.tensors().keySet()));
        assertEquals(2.54, t.activationEntries().get("input").max(), 2.54 * 2e-7);
        assertEquals(64, t.model().sha256().length());
    }

    @Test
    void exportNotesTensorsTheModelLacks() throws IOException {
        CalibrationTable withGhost = minmax.withTensor("ghost_tensor", minmax.activationEntries().get("input"));
        Path table = dir.resolve("ghost.json");
        QuantLensJsonFormat.write(withGhost, table);
        Outcome o = CliTest.run("export", table.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", dir.resolve("x.cache").toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("quantlens: note: ") && o.err().contains("ghost_tensor"), o.err());
        assertFalse(Files.readString(dir.resolve("x.cache")).contains("ghost_tensor"));
    }

    @Test
    void exportNotesATableMadeForAnotherModelFile() throws IOException {
        CalibrationTable other = new CalibrationTable(new CalibrationTable.ModelRef("other.onnx", "00".repeat(32)),
                minmax.activations(), minmax.weights(), minmax.tensors());
        Path table = dir.resolve("other.json");
        QuantLensJsonFormat.write(other, table);
        Outcome o = CliTest.run("export", table.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", dir.resolve("x.cache").toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("other.onnx"), o.err());
    }

    @Test
    void malformedTableIsBadInputOnOneLineNamingTheFile() throws IOException {
        Path table = dir.resolve("broken.json");
        Files.writeString(table, "{\"format\": \"quantlens-calibration\", \"version\": 1,\n \"tensors\": {");
        Path out = dir.resolve("never.cache");
        assertBadInput(CliTest.run("export", table.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", out.toString()), "broken.json");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void tableOfAnotherVersionIsBadInput() throws IOException {
        Path table = dir.resolve("v2.json");
        Files.writeString(table, Files.readString(minmaxJson).replace("\"version\" : 1", "\"version\" : 2"));
        assertBadInput(CliTest.run("export", table.toString(), "--format", "ncnn", "--model", lenet.toString(),
                "--out", dir.resolve("x.table").toString()), "v2.json");
    }

    @Test
    void cacheWithBadHexIsBadInputNamingTheFile() throws IOException {
        Path cache = dir.resolve("bad.cache");
        Files.writeString(cache, "TRT-8601-EntropyCalibration2\ninput: 3ca3d70z\n");
        Path out = dir.resolve("t.json");
        assertBadInput(CliTest.run("import", cache.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", out.toString()), "bad.cache");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void cacheForAnotherModelIsBadInput() throws IOException {
        Path cache = dir.resolve("foreign.cache");
        Files.writeString(cache, "TRT-8601-EntropyCalibration2\nblob0: 3ca3d70a\nblob1: 3f800000\n");
        Outcome o = CliTest.run("import", cache.toString(), "--format", "tensorrt", "--model", lenet.toString(),
                "--out", dir.resolve("t.json").toString());
        assertBadInput(o, "foreign.cache");
        assertTrue(o.err().contains("blob0"), o.err());
    }

    @Test
    void unknownFormatAndSchemeAreBadInputListingTheValidNames() {
        Outcome f = CliTest.run("export", minmaxJson.toString(), "--format", "trt", "--model", lenet.toString(),
                "--out", dir.resolve("x").toString());
        assertBadInput(f, "tensorrt");
        Outcome s = CliTest.run("import", minmaxJson.toString(), "--format", "onnxruntime", "--model",
                lenet.toString(), "--out", dir.resolve("x").toString(), "--scheme", "int4");
        assertBadInput(s, "uint8-asymmetric");
    }

    @Test
    void missingModelIsBadInputNamingIt() {
        assertBadInput(CliTest.run("export", minmaxJson.toString(), "--format", "tensorrt", "--model",
                dir.resolve("absent.onnx").toString(), "--out", dir.resolve("x").toString()), "absent.onnx");
    }

    private static void assertBadInput(Outcome o, String mention) {
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("quantlens: ") && o.err().contains(mention), o.err());
    }
}
