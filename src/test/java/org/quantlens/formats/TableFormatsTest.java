package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.testing.SharedFixtures;

class TableFormatsTest {
    @TempDir
    Path dir;

    @Test
    void cliNamesRoundTripAndUnknownNamesListTheValidOnes() {
        for (TableFormat f : TableFormat.values()) {
            assertEquals(f, TableFormat.fromCliName(f.cliName()));
        }
        assertEquals("unknown table format 'trt' (valid: quantlens-json, tensorrt, ncnn, onnxruntime, onnx-qdq)",
                assertThrows(InvalidInputException.class, () -> TableFormat.fromCliName("trt")).getMessage());
    }

    /** Every lenet activation with its ORT minmax range, made symmetric, plus per-channel weight entries from max |w|. */
    static CalibrationTable lenetTable(Model m) {
        Path ort = SharedFixtures.require("reference/digits_lenet/ort_calibration_table");
        CalibrationTable acts = OnnxRuntimeTableFormat.read(ort, m, "int8-symmetric", 8).table();
        Map<String, TensorEntry> all = new LinkedHashMap<>(acts.tensors());
        for (NcnnLayers.Layer l : NcnnLayers.of(m)) {
            double[] absmax = NcnnLayers.channelAbsMax(m, l);
            double[] scale = new double[absmax.length];
            double[] min = new double[absmax.length];
            for (int c = 0; c < absmax.length; c++) {
                scale[c] = absmax[c] / 127;
                min[c] = -absmax[c];
            }
            all.put(l.weight(), new WeightEntry(l.outAxis(), scale, new int[absmax.length], min, absmax));
        }
        return new CalibrationTable(acts.model(), acts.activations(), acts.weights(), all);
    }

    @Test
    void everyFormatRoundTripsLenetRangesWithinFloat32Precision() {
        Model m = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        CalibrationTable t = lenetTable(m);
        assertEquals(11, t.activationEntries().size());
        for (TableFormat f : List.of(TableFormat.QUANTLENS_JSON, TableFormat.TENSORRT, TableFormat.ONNXRUNTIME)) {
            Path out = dir.resolve("lenet-" + f.cliName());
            TableFormats.write(t, f, m, out);
            ImportedTable back = TableFormats.read(out, f, m, "int8-symmetric", 8);
            assertEquals(List.of(), back.unknownTensors(), f.cliName());
            TestTables.assertSameRanges(t, back.table());
        }
        Path ncnn = dir.resolve("lenet.table");
        TableFormats.write(t, TableFormat.NCNN, m, ncnn);
        CalibrationTable back = TableFormats.read(ncnn, TableFormat.NCNN, m).table();
        List<String> layerInputs = m.graph().nodes().stream().filter(n -> n.opType().equals("Conv") || n.opType().equals("Gemm"))
                .map(n -> n.input(0)).toList();
        assertEquals(layerInputs, List.copyOf(back.activationEntries().keySet()));
        for (String name : layerInputs) {
            ActivationEntry e = t.activationEntries().get(name);
            assertEquals(e.max(), back.activationEntries().get(name).max(), e.max() * 2e-7, name);
        }
        t.weightEntries().forEach((name, w) -> {
            double[] got = back.weightEntries().get(name).max();
            for (int c = 0; c < got.length; c++) {
                assertEquals(w.max()[c], got[c], w.max()[c] * 2e-7, name + "[" + c + "]");
            }
        });
    }

    @Test
    void overwritingReplacesTheWholeFileAndLeavesNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("t.cache");
        Files.writeString(out, "old content that is longer than the new file would be, much longer, really\n".repeat(10));
        TableFormats.write(TestTables.trtGoldenTable(), TableFormat.TENSORRT, null, out);
        assertTrue(Files.readString(out).startsWith("TRT-8601-EntropyCalibration2\n"));
        assertFalse(Files.readString(out).contains("old content"));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList());
        }
    }

    @Test
    void ortFolderOutputReplacesFilesInAnExistingFolder() throws IOException {
        Path out = Files.createDirectory(dir.resolve("ort"));
        Files.writeString(out.resolve("calibration.cache"), "stale\n");
        Files.writeString(out.resolve("keep.txt"), "mine\n");
        TableFormats.write(TestTables.trtGoldenTable(), TableFormat.ONNXRUNTIME, null, out);
        assertTrue(Files.readString(out.resolve("calibration.cache")).startsWith("conv1/out:0 6.349999904632568\n"), "value of float32(6.35) as Python prints it");
        assertEquals("mine\n", Files.readString(out.resolve("keep.txt")));
        assertTrue(Files.exists(out.resolve("calibration.flatbuffers")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "temporary folder removed");
        }
    }

    @Test
    void ncnnNeedsAModel() {
        assertThrows(InvalidInputException.class,
                () -> TableFormats.write(TestTables.trtGoldenTable(), TableFormat.NCNN, null, dir.resolve("x")));
    }
}
