package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.search.Range;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** Ranges to table entries: widening to include 0, ORT's scale rule, and the degenerate cases. */
class CalibrationTablesTest {
    static final QuantSpec U8 = QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC);
    static final QuantSpec S8 = QuantSpec.of(QuantScheme.INT8_SYMMETRIC);

    @Test
    void uint8RangeIsWidenedToIncludeZero() {
        List<String> w = new ArrayList<>();
        ActivationEntry e = CalibrationTables.entry("minmax", new Range(2, 5.1), 2, 5.1, U8, "t", w);
        assertEquals(0.0, e.min());
        assertEquals(5.1f, (float) e.max());
        assertEquals((float) (5.1f / 255.0), (float) e.scale()); // (5.1 - 0) / (255 - 0)
        assertEquals(0, e.zeroPoint());
        assertEquals(2.0, e.observedMin());
        assertTrue(w.isEmpty());
    }

    @Test
    void int8SymmetricRangeIsMadeSymmetric() {
        ActivationEntry e = CalibrationTables.entry("minmax", new Range(-1, 3.81), -1, 3.81, S8, "t",
                new ArrayList<>());
        assertEquals(-3.81f, (float) e.min());
        assertEquals(3.81f, (float) e.max());
        assertEquals((float) (2 * 3.81f / 254.0), (float) e.scale()); // [-127, 127]: absmax / 127
        assertEquals(0, e.zeroPoint());
    }

    @Test
    void zeroWidthRangeGetsScaleOneAndAWarning() {
        List<String> w = new ArrayList<>();
        ActivationEntry e = CalibrationTables.entry("minmax", new Range(0, 0), 0, 0, U8, "tensor zeros", w);
        assertEquals(1.0, e.scale());
        assertEquals(0, e.zeroPoint());
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("tensor zeros"), w.get(0));
    }

    @Test
    void allZeroWeightChannelHasAFiniteScaleAndAWarning() {
        WeightStatistics s = WeightStatistics.of("W", "Conv",
                Tensor.ofFloats(Shape.of(3, 2), 0, 0, 1.27f, -0.5f, 0, 0), 0);
        List<String> w = new ArrayList<>();
        WeightEntry e = CalibrationTables.weight(s, S8, true, w);
        assertEquals(1.0, e.scale()[0]);
        assertEquals((float) (1.27f / 127.0), (float) e.scale()[1]);
        assertEquals(1.0, e.scale()[2]);
        for (double v : e.scale()) {
            assertTrue(Double.isFinite(v) && v > 0);
        }
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("W") && w.get(0).contains("0, 2"), w.get(0));
        assertEquals(-1.27f, (float) e.min()[1]);
    }

    @Test
    void perTensorWeightsUseTheWholeRange() {
        WeightStatistics s = WeightStatistics.of("W", "Gemm", Tensor.ofFloats(Shape.of(2, 2), 1, -2, 0.5f, 0.25f), 0);
        WeightEntry e = CalibrationTables.weight(s, S8, false, new ArrayList<>());
        assertFalse(e.perChannel());
        assertEquals(1, e.scale().length);
        assertEquals((float) (2.0 / 127), (float) e.scale()[0]);
    }

    @Test
    void infiniteWeightIsLeftOutWithAWarning() {
        WeightStatistics inf = WeightStatistics.of("W", "MatMul", Tensor.ofFloats(Shape.of(1, 2), 1,
                Float.NEGATIVE_INFINITY), 1);
        CalibrationStatistics stats = new CalibrationStatistics(Map.of(), Map.of("W", inf), 0, 16,
                CalibrationRun.Options.of());
        CalibrationTables.Result r = CalibrationTables.build(stats, new CalibrationTables.Spec(RangeMethod.MINMAX,
                RangeOptions.DEFAULT, U8, S8, true, new CalibrationTable.ModelRef("m.onnx", "")));
        assertTrue(r.table().tensors().isEmpty());
        assertEquals(1, r.warnings().size());
    }

    /**
     * PyTorch's PerChannelMinMaxObserver(qint8, per_channel_symmetric) uses the full [-128, 127]: scale =
     * absmax / 127.5. The same weight statistics under that range (ORT's rule, no restricted range) reproduce it.
     */
    @Test
    void perChannelScalesOnPyTorchsFullRangeEqualPyTorch() throws Exception {
        for (String name : List.of("digits_mlp", "digits_lenet")) {
            Model model = OnnxReader.read(SharedFixtures.require("reference/" + name + "/model.onnx"));
            var torch = new com.fasterxml.jackson.databind.ObjectMapper().readTree(SharedFixtures.require(
                    "reference/" + name + "/torch_observers.json").toFile()).get("weights_per_channel_symmetric_qint8");
            Map<String, WeightStatistics> ws = WeightStatistics.collect(model.graph());
            QuantSpec full = S8.withRestrictedSymmetric(false);
            int checked = 0;
            for (var it = torch.fields(); it.hasNext(); ) {
                var e = it.next();
                WeightEntry got = CalibrationTables.weight(ws.get(e.getKey()), full, true, new ArrayList<>());
                var want = e.getValue().get("scales");
                assertEquals(want.size(), got.scale().length);
                for (int c = 0; c < want.size(); c++, checked++) {
                    double rel = Math.abs(got.scale()[c] / want.get(c).asDouble() - 1);
                    assertTrue(rel <= 1.2e-7, e.getKey() + "[" + c + "]: " + got.scale()[c] + " vs " + want.get(c));
                }
            }
            assertTrue(checked > 0);
        }
    }

    /**
     * The searches run in parallel but the table and its warnings come out in tensor order: identical to the
     * single-threaded build for every method, including a constant tensor's warning.
     */
    @Test
    void parallelBuildEqualsSingleThreadedBuildForEveryMethod() {
        java.util.Random r = new java.util.Random(11);
        Map<String, ActivationStatistics> acts = new java.util.LinkedHashMap<>();
        CalibrationRun.Options options = CalibrationRun.Options.all().withBatchSize(4);
        for (int t = 0; t < 6; t++) {
            float[] x = new float[8 * 500];
            for (int i = 0; i < x.length; i++) {
                double g = r.nextGaussian() * (t + 1);
                x[i] = t == 5 ? 2.5f : (float) (t % 2 == 0 ? Math.max(0, g) : g);
            }
            acts.put("act" + t, CalibrationRun.observeArray("act" + t, x, 8, options));
        }
        CalibrationStatistics stats = new CalibrationStatistics(acts, Map.of(), 8, 4, options);
        for (RangeMethod m : new RangeMethod[] {RangeMethod.KL_NCNN, RangeMethod.KL_TENSORRT,
                RangeMethod.KL_ONNXRUNTIME, RangeMethod.PERCENTILE, RangeMethod.MSE, RangeMethod.EMA}) {
            CalibrationTables.Spec spec = new CalibrationTables.Spec(m, RangeOptions.DEFAULT, U8, S8, true,
                    new CalibrationTable.ModelRef("m.onnx", ""));
            CalibrationTables.Result one = CalibrationTables.build(stats, spec);
            CalibrationTables.Result two = CalibrationTables.build(stats, spec,
                    org.quantlens.exec.ExecContext.withThreads(2));
            assertEquals(one.table(), two.table(), m.cliName());
            assertEquals(one.warnings(), two.warnings(), m.cliName());
            assertEquals(List.copyOf(acts.keySet()), List.copyOf(two.table().tensors().keySet()), m.cliName());
            assertTrue(two.warnings().stream().anyMatch(w -> w.contains("act5")), m.cliName() + " " + two.warnings());
        }
    }
}
