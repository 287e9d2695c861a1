package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** {@code range} against ONNX Runtime's calibrators on ONNX Runtime's own histograms, and on hand-made arrays. */
class RangeCommandTest {
    static CalibrateCommandTest.Outcome run(String... args) {
        return CalibrateCommandTest.run(args);
    }

    static JsonNode rangeJson(String... args) throws Exception {
        CalibrateCommandTest.Outcome o = run(args);
        assertEquals(0, o.status(), o.err());
        return Json.MAPPER.readTree(o.out());
    }

    @ParameterizedTest
    @CsvSource({
        "digits_mlp, hist_entropy_2048_128.json, entropy_2048_128, kl-onnxruntime",
        "digits_lenet, hist_entropy_2048_128.json, entropy_2048_128, kl-onnxruntime",
        "digits_mlp, hist_entropy_2048_128_symmetric.json, entropy_2048_128_symmetric, kl-onnxruntime",
        "digits_lenet, hist_entropy_2048_128_symmetric.json, entropy_2048_128_symmetric, kl-onnxruntime",
        "digits_mlp, hist_percentile_default.json, percentile_default, percentile",
        "digits_lenet, hist_percentile_default.json, percentile_default, percentile",
    })
    void rangeOnOnnxRuntimeHistogramEqualsOnnxRuntime(String model, String hist, String config, String method)
            throws Exception {
        Path h = SharedFixtures.require("reference/" + model + "/" + hist);
        JsonNode got = rangeJson("range", "--histogram", h.toString(), "--method", method, "--json").get("tensors");
        JsonNode want = CalibrateCommandTest.reference(model, "calibrators.json").get(config).get("tensors");
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); n++) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode g = got.get(e.getKey());
            CalibrateCommandTest.assertClose(CalibrateCommandTest.first(e.getValue().get("lowest")),
                    g.get("min").asDouble(), 1e-6, 0, e.getKey() + " lowest");
            CalibrateCommandTest.assertClose(CalibrateCommandTest.first(e.getValue().get("highest")),
                    g.get("max").asDouble(), 1e-6, 0, e.getKey() + " highest");
        }
        assertEquals(n, got.size(), "one range per tensor");
    }

    @Test
    void tensorOptionPrintsOnlyThatTensor() throws Exception {
        Path h = SharedFixtures.require("reference/digits_mlp/hist_entropy_2048_128.json");
        JsonNode got = rangeJson("range", "--histogram", h.toString(), "--tensor", "logits", "--method", "minmax",
                "--json").get("tensors");
        assertEquals(1, got.size());
        // minmax on a histogram is its observed range, which ORT stored as min/max
        JsonNode file = CalibrateCommandTest.read(h).get("logits");
        assertEquals(file.get("min").asDouble(), got.get("logits").get("min").asDouble(), 0);
        assertEquals(file.get("max").asDouble(), got.get("logits").get("max").asDouble(), 0);
    }

    /** Hand computation: 0..255 over [-1, 254]: uint8 scale = 255/255 = 1, zero point = round(0 - (-1)/1) = 1. */
    @Test
    void npyMinmaxGivesOnnxRuntimeScaleAndZeroPoint(@TempDir Path dir) throws Exception {
        float[] v = new float[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = i - 1;
        }
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(Shape.of(16, 16), v), x);
        JsonNode got = rangeJson("range", "--npy", x.toString(), "--method", "minmax", "--json");
        assertEquals("minmax", got.get("method").asText());
        assertEquals(-1.0, got.get("min").asDouble(), 0);
        assertEquals(254.0, got.get("max").asDouble(), 0);
        assertEquals(1.0, got.get("scale").asDouble(), 1e-7);
        assertEquals(1, got.get("zero_point").asInt());
        assertEquals(-1.0, got.get("observed_min").asDouble(), 0);
    }

    /** Hand computation of PyTorch's EMA: batch 1 = rows 0-1 sets [0, 1]; batch 2 = rows 2-3 moves max to 1 + 0.5*(3 - 1). */
    @Test
    void npyEmaCutsTheFirstAxisIntoBatches(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(Tensor.ofFloats(Shape.of(4, 1), 0f, 1f, 2f, 3f), x);
        JsonNode got = rangeJson("range", "--npy", x.toString(), "--method", "ema", "--batch", "2",
                "--ema-constant", "0.5", "--json");
        assertEquals(0.0 + 0.5 * (2 - 0), got.get("min").asDouble(), 1e-7);
        assertEquals(1.0 + 0.5 * (3 - 1), got.get("max").asDouble(), 1e-7);
        assertTrue(got.get("note").asText().contains("batch size"));
    }

    @Test
    void emaOnAHistogramIsRefusedOnOneLine() {
        Path h = SharedFixtures.require("reference/digits_mlp/hist_entropy_2048_128.json");
        CalibrateCommandTest.Outcome o = run("range", "--histogram", h.toString(), "--method", "ema");
        assertEquals(2, o.status());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("ema"), o.err());
    }

    @Test
    void unknownTensorNamesTheFile() {
        Path h = SharedFixtures.require("reference/digits_mlp/hist_entropy_2048_128.json");
        CalibrateCommandTest.Outcome o = run("range", "--histogram", h.toString(), "--tensor", "nope", "--method",
                "minmax");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("hist_entropy_2048_128.json") && o.err().contains("nope"), o.err());
    }

    @Test
    void npyAndHistogramTogetherIsAUsageError(@TempDir Path dir) {
        CalibrateCommandTest.Outcome o = run("range", "--npy", dir.resolve("a.npy").toString(), "--histogram",
                dir.resolve("h.json").toString(), "--method", "minmax");
        assertEquals(2, o.status());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    @Test
    void garbageHistogramFileIsBadInput(@TempDir Path dir) throws Exception {
        Path h = dir.resolve("h.json");
        java.nio.file.Files.writeString(h, "{\"t\": {\"hist\": [1, 2], \"edges\": [0]");
        CalibrateCommandTest.Outcome o = run("range", "--histogram", h.toString(), "--method", "kl-tensorrt");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("h.json"), o.err());
    }
}
