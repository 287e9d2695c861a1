package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.HistogramFile;
import org.quantlens.testing.SharedFixtures;

/**
 * {@code calibrate} on the reference models against the numbers ONNX Runtime 1.30 and PyTorch 2.11 produced on the
 * same calibration data in batches of 16 (../shared/reference/&lt;model&gt;/calibrators.json, torch_observers.json).
 * Our FP32 engine computes the activations itself, so they differ from ORT's and PyTorch's in the last float bits;
 * tolerances below say how much.
 */
class CalibrateCommandTest {
    /** Relative distance between our activations' extremes and ORT's (different summation order in Conv/Gemm). */
    static final double ENGINE_REL = 2e-6;

    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = QuantLensCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    static JsonNode read(Path p) throws Exception {
        return Json.MAPPER.readTree(p.toFile());
    }

    /** Runs calibrate on a reference model and returns the table's tensors. */
    static JsonNode calibrate(String model, Path dir, String... extra) throws Exception {
        Path ref = SharedFixtures.require("reference/" + model);
        Path out = dir.resolve(model + ".json");
        List<String> args = new ArrayList<>(List.of("calibrate", ref.resolve("model.onnx").toString(), "--data",
                ref.resolve("calib.npy").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        Outcome o = run(args.toArray(String[]::new));
        assertEquals(0, o.status(), o.err());
        return read(out).get("tensors");
    }

    static JsonNode reference(String model, String file) throws Exception {
        return read(SharedFixtures.require("reference/" + model + "/" + file));
    }

    static double first(JsonNode n) {
        return n.isArray() ? n.get(0).asDouble() : n.asDouble();
    }

    static void assertClose(double want, double got, double rel, double abs, String what) {
        double tol = Math.max(abs, rel * Math.abs(want));
        assertTrue(Math.abs(want - got) <= tol, what + ": want " + want + ", got " + got + " (tolerance " + tol + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void minmaxObservedRangeEqualsOnnxRuntimeMinMax(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--method", "minmax");
        JsonNode ort = reference(model, "calibrators.json").get("minmax").get("tensors");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = ort.fields(); it.hasNext(); checked++) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = table.get(e.getKey());
            assertTrue(t != null, "table lacks " + e.getKey());
            assertClose(first(e.getValue().get("lowest")), t.get("observed_min").asDouble(), ENGINE_REL, 1e-6,
                    e.getKey() + " observed_min");
            assertClose(first(e.getValue().get("highest")), t.get("observed_max").asDouble(), ENGINE_REL, 1e-6,
                    e.getKey() + " observed_max");
        }
        assertTrue(checked >= 7, "ORT lists every float tensor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void emaInBatchesOf16EqualsPyTorchMovingAverageObserver(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--method", "ema", "--batch", "16");
        JsonNode torch = reference(model, "torch_observers.json").get("tensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = torch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue().get("moving_average_0.01_affine_quint8");
            JsonNode got = table.get(e.getKey());
            // the range after widening to include 0 is what PyTorch's qparams use, so compare that
            assertClose(Math.min(0, want.get("min_val").asDouble()), got.get("min").asDouble(), 1e-5, 1e-6,
                    e.getKey() + " min");
            assertClose(Math.max(0, want.get("max_val").asDouble()), got.get("max").asDouble(), 1e-5, 1e-6,
                    e.getKey() + " max");
            assertClose(want.get("scale").asDouble(), got.get("scale").asDouble(), 1e-5, 0, e.getKey() + " scale");
            assertEquals(want.get("zero_point").asInt(), got.get("zero_point").asInt(), e.getKey() + " zero point");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void asymmetricPercentileLandsWithinOneBinOfOnnxRuntime(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--method", "percentile", "--percentile", "99.99", "--scheme",
                "uint8-asymmetric");
        JsonNode ort = reference(model, "calibrators.json").get("percentile_99.99_asymmetric").get("tensors");
        JsonNode minmax = reference(model, "calibrators.json").get("minmax").get("tensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = ort.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mm = minmax.get(e.getKey());
            double t = Math.max(Math.abs(first(mm.get("lowest"))), Math.abs(first(mm.get("highest"))));
            double bin = 2 * t / 2048; // ORT's signed histogram: 2048 bins over [-t, t]
            JsonNode got = table.get(e.getKey());
            assertClose(Math.min(0, first(e.getValue().get("lowest"))), got.get("min").asDouble(), 0, bin,
                    e.getKey() + " min");
            assertClose(Math.max(0, first(e.getValue().get("highest"))), got.get("max").asDouble(), 0, bin,
                    e.getKey() + " max");
        }
    }

    /**
     * PyTorch's HistogramObserver keeps the observed extremes in min_val/max_val and puts the searched range only
     * into scale and zero point, so its range is the one they imply: [-zp*scale, (255 - zp)*scale].
     */
    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void mseIsWithinTwoPercentOfPyTorchHistogramObserver(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--method", "mse", "--batch", "16");
        JsonNode torch = reference(model, "torch_observers.json").get("tensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = torch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue().get("histogram_affine_quint8");
            JsonNode got = table.get(e.getKey());
            assertClose(want.get("min_val").asDouble(), got.get("observed_min").asDouble(), ENGINE_REL, 1e-6,
                    e.getKey() + " observed min");
            assertClose(want.get("max_val").asDouble(), got.get("observed_max").asDouble(), ENGINE_REL, 1e-6,
                    e.getKey() + " observed max");
            double scale = want.get("scale").asDouble();
            int zp = want.get("zero_point").asInt();
            double lo = -zp * scale;
            double hi = (255 - zp) * scale;
            assertClose(scale, got.get("scale").asDouble(), 0.02, 0, e.getKey() + " scale");
            assertClose(lo, got.get("min").asDouble(), 0, 0.02 * (hi - lo), e.getKey() + " min");
            assertClose(hi, got.get("max").asDouble(), 0, 0.02 * (hi - lo), e.getKey() + " max");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void perChannelWeightScalesArePyTorchsAbsmaxOver127(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir);
        JsonNode torch = reference(model, "torch_observers.json").get("weights_per_channel_symmetric_qint8");
        for (Iterator<Map.Entry<String, JsonNode>> it = torch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode got = table.get(e.getKey());
            assertEquals("weight", got.get("kind").asText());
            assertEquals(0, got.get("axis").asInt());
            JsonNode want = e.getValue().get("scales");
            assertEquals(want.size(), got.get("scale").size(), e.getKey() + " channels");
            for (int c = 0; c < want.size(); c++) {
                // PyTorch: absmax / 127.5 on [-128, 127]; the table: absmax / 127 on [-127, 127] (ORT, TensorRT)
                assertClose(want.get(c).asDouble() * 127.5 / 127, got.get("scale").get(c).asDouble(), 1e-6, 0,
                        e.getKey() + " channel " + c);
                assertEquals(0, got.get("zero_point").get(c).asInt());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void perChannelWeightScalesEqualPyTorchsWithTheFullWeightRange(String model, @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--weight-range", "full");
        JsonNode torch = reference(model, "torch_observers.json").get("weights_per_channel_symmetric_qint8");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = torch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue().get("scales");
            JsonNode got = table.get(e.getKey()).get("scale");
            assertEquals(want.size(), got.size(), e.getKey() + " channels");
            for (int c = 0; c < want.size(); c++) {
                assertClose(want.get(c).asDouble(), got.get(c).asDouble(), 1e-6, 0, e.getKey() + " channel " + c);
                checked++;
            }
        }
        assertTrue(checked > 10, "channels checked: " + checked);
    }

    /**
     * Beyond the acceptance list: with ONNX Runtime's one-call histograms rebuilt in a second pass, calibrate's
     * kl-onnxruntime and (symmetric, ORT's default) percentile reproduce ORT's calibrators end to end, up to the
     * engine's float noise.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "digits_mlp, kl-onnxruntime, entropy_2048_128",
        "digits_lenet, kl-onnxruntime, entropy_2048_128",
        "digits_mlp, percentile, percentile_default",
        "digits_lenet, percentile, percentile_default",
    })
    void klOnnxRuntimeAndPercentileMatchOnnxRuntimeEndToEnd(String model, String method, String config,
                                                              @TempDir Path dir) throws Exception {
        JsonNode table = calibrate(model, dir, "--method", method);
        JsonNode ort = reference(model, "calibrators.json").get(config).get("tensors");
        for (Iterator<Map.Entry<String, JsonNode>> it = ort.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode got = table.get(e.getKey());
            assertClose(Math.min(0, first(e.getValue().get("lowest"))), got.get("min").asDouble(), 1e-5, 1e-6,
                    e.getKey() + " min");
            assertClose(Math.max(0, first(e.getValue().get("highest"))), got.get("max").asDouble(), 1e-5, 1e-6,
                    e.getKey() + " max");
        }
    }

    @Test
    void histogramsFileRoundTripsThroughRange(@TempDir Path dir) throws Exception {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Path h = dir.resolve("h.json");
        Path t = dir.resolve("t.json");
        Outcome o = run("calibrate", ref.resolve("model.onnx").toString(), "--data", ref.resolve("calib.npy").toString(),
                "--method", "kl-onnxruntime", "--out", t.toString(), "--histograms", h.toString());
        assertEquals(0, o.status(), o.err());
        Map<String, Histogram> hs = HistogramFile.read(h);
        assertTrue(hs.containsKey("logits"));
        Outcome r = run("range", "--histogram", h.toString(), "--method", "kl-onnxruntime", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode ranges = Json.MAPPER.readTree(r.out()).get("tensors");
        JsonNode table = read(t).get("tensors");
        ranges.fields().forEachRemaining(e -> {
            assertEquals(Math.min(0, e.getValue().get("min").asDouble()), table.get(e.getKey()).get("min").asDouble(),
                    1e-6, e.getKey());
            assertEquals(Math.max(0, e.getValue().get("max").asDouble()), table.get(e.getKey()).get("max").asDouble(),
                    1e-6, e.getKey());
        });
    }

    @Test
    void tableFollowsTheContractLayout(@TempDir Path dir) throws Exception {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Path t = dir.resolve("t.json");
        assertEquals(0, run("calibrate", ref.resolve("model.onnx").toString(), "--data",
                ref.resolve("calib.npy").toString(), "--out", t.toString(), "--per-tensor").status());
        JsonNode doc = read(t);
        assertEquals("quantlens-calibration", doc.get("format").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals(64, doc.get("model").get("sha256").asText().length());
        assertEquals("uint8-asymmetric", doc.get("activations").get("scheme").asText());
        assertFalse(doc.get("weights").get("per_channel").asBoolean());
        JsonNode w = doc.get("tensors").get("f1.weight");
        assertEquals(-1, w.get("axis").asInt());
        assertEquals(1, w.get("scale").size());
        // per tensor, symmetric: scale = absmax / 127 and the clip range is (-absmax, absmax)
        assertEquals(w.get("max").get(0).asDouble() / 127, w.get("scale").get(0).asDouble(), 1e-9);
        assertEquals(-w.get("max").get(0).asDouble(), w.get("min").get(0).asDouble(), 0);
        // the formats reader accepts what calibrate wrote
        assertEquals(doc.get("tensors").size(),
                org.quantlens.formats.QuantLensJsonFormat.read(t, null).table().tensors().size());
        Files.list(dir).forEach(p -> assertFalse(p.getFileName().toString().endsWith(".tmp"), "temp file left: " + p));
    }

    @Test
    void emaNotesThatItDependsOnTheBatchSize(@TempDir Path dir) throws Exception {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Outcome o = run("calibrate", ref.resolve("model.onnx").toString(), "--data",
                ref.resolve("calib.npy").toString(), "--out", dir.resolve("t.json").toString(), "--method", "ema",
                "--batch", "32");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("depend on the batch size (32 samples"), o.err());
        assertTrue(o.out().contains("batches of 32"), o.out());
    }

    @Test
    void withoutOutTheTableGoesToStdout() throws Exception {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Outcome o = run("calibrate", ref.resolve("model.onnx").toString(), "--data",
                ref.resolve("calib.npy").toString(), "--limit", "32");
        assertEquals(0, o.status(), o.err());
        JsonNode doc = Json.MAPPER.readTree(o.out());
        assertEquals("quantlens-calibration", doc.get("format").asText());
        assertEquals(7 + 3, doc.get("tensors").size(), "7 float activations and 3 weights");
        // pixels/16 in [0, 1] normalised by (x - 0.3) / 0.4: nothing below -0.75
        assertTrue(doc.get("tensors").get("input").get("observed_min").asDouble() >= -0.75);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bits=1", "--batch=0", "--bins=10", "--method=magic", "--scheme=uint4",
            "--percentile=101", "--limit=-1"})
    void badOptionValuesAreBadInputOnOneLine(String option, @TempDir Path dir) {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Outcome o = run("calibrate", ref.resolve("model.onnx").toString(), "--data",
                ref.resolve("calib.npy").toString(), "--out", dir.resolve("t.json").toString(), option);
        assertEquals(2, o.status(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(Files.exists(dir.resolve("t.json")));
    }

    @Test
    void missingDataFileIsBadInputNamingIt(@TempDir Path dir) {
        Path ref = SharedFixtures.require("reference/digits_mlp");
        Outcome o = run("calibrate", ref.resolve("model.onnx").toString(), "--data", dir.resolve("nope.npy").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("nope.npy"), o.err());
    }
}
