package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class QuantizedModelBuilderTest {
    private static final Random RND = new Random(21);

    /** x[1,2,6,6] -> Conv -> BatchNormalization -> Relu -> GlobalAveragePool -> Flatten -> Gemm -> Softmax. */
    private static Model model() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("W", random(Shape.of(4, 2, 3, 3), 0.3f));
        init.put("B", random(Shape.of(4), 0.1f));
        init.put("bn_s", Tensor.ofFloats(Shape.of(4), 1.5f, 0.5f, 1f, 2f));
        init.put("bn_b", Tensor.ofFloats(Shape.of(4), 0.1f, -0.2f, 0.3f, 0f));
        init.put("bn_m", Tensor.ofFloats(Shape.of(4), 0.05f, 0f, -0.1f, 0.2f));
        init.put("bn_v", Tensor.ofFloats(Shape.of(4), 1f, 2f, 0.5f, 1f));
        init.put("G", random(Shape.of(3, 4), 0.5f));
        init.put("GB", random(Shape.of(3), 0.1f));
        List<Node> nodes = List.of(
                Node.of("conv", "Conv", List.of("x", "W", "B"), List.of("c"), Attribute.ofInts("pads", 1, 1, 1, 1)),
                Node.of("bn", "BatchNormalization", List.of("c", "bn_s", "bn_b", "bn_m", "bn_v"), List.of("n")),
                Node.of("relu", "Relu", List.of("n"), List.of("r")),
                Node.of("gap", "GlobalAveragePool", List.of("r"), List.of("g")),
                Node.of("flat", "Flatten", List.of("g"), List.of("f")),
                Node.of("fc", "Gemm", List.of("f", "G", "GB"), List.of("logits"), Attribute.ofInt("transB", 1)),
                Node.of("sm", "Softmax", List.of("logits"), List.of("prob")));
        Graph g = new Graph("t", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2, 6, 6)),
                List.of(ValueInfo.of("prob", DType.FLOAT32, 1, 3)), init, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    private static Tensor random(Shape s, float amp) {
        float[] f = new float[s.numElements()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (RND.nextFloat() * 2 - 1) * amp;
        }
        return Tensor.ofFloats(s, f);
    }

    /** MinMax table over the FP32 values of every tensor except those listed in {@code skip}. */
    private static CalibrationTable table(Model m, List<Tensor> feeds, List<String> skip) {
        Engine e = new Engine(m, FloatReference.registry(), ExecContext.singleThreaded());
        Map<String, float[]> r = new LinkedHashMap<>();
        for (Tensor x : feeds) {
            e.run(Map.of("x", x), (name, v) -> {
                float[] mm = r.computeIfAbsent(name, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                for (float f : v.floats()) {
                    mm[0] = Math.min(mm[0], f);
                    mm[1] = Math.max(mm[1], f);
                }
            }, CancellationToken.none());
        }
        Map<String, CalibrationTable.TensorEntry> t = new LinkedHashMap<>();
        r.forEach((k, v) -> {
            if (!skip.contains(k)) {
                QuantParams p = QuantParams.onnxRuntime(v[0], v[1], QuantSpec.activationsDefault());
                t.put(k, new CalibrationTable.ActivationEntry("minmax", false, v[0], v[1], p.scale(), p.zeroPoint(),
                        v[0], v[1]));
            }
        });
        return new CalibrationTable(null, new CalibrationTable.ActivationSpec("uint8-asymmetric", 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), t);
    }

    private static List<Tensor> inputs(int n) {
        List<Tensor> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(random(Shape.of(1, 2, 6, 6), 1f));
        }
        return l;
    }

    @Test
    void foldsBatchNormFusesReluAndListsTheSoftmaxFallback() {
        Model m = model();
        QuantizedModel q = QuantizedModelBuilder.build(m, table(m, inputs(8), List.of()), RuntimeOptions.defaults());
        assertEquals(List.of("Conv+Relu", "GlobalAveragePool", "Flatten", "Gemm", "Softmax"),
                q.steps().stream().map(QuantizedStep::op).toList());
        assertEquals(List.of("sm (Softmax)"), q.fallbackNodes());
        assertNotNull(q.paramsOf("r"));
        assertNull(q.paramsOf("n"), "the fused Conv output is never materialised");
    }

    @Test
    void int8OutputsTrackTheFp32ModelInBothRequantModes() {
        Model m = model();
        List<Tensor> xs = inputs(16);
        CalibrationTable t = table(m, xs, List.of());
        Engine fp32 = new Engine(m, FloatReference.registry(), ExecContext.singleThreaded());
        for (RequantMode mode : RequantMode.values()) {
            for (boolean perChannel : new boolean[] {true, false}) {
                Int8Engine q = new Int8Engine(QuantizedModelBuilder.build(m, t, RuntimeOptions.defaults()
                        .withRequantMode(mode).withPerChannelWeights(perChannel)), ExecContext.singleThreaded());
                SignalComparison c = new SignalComparison();
                for (Tensor x : xs) {
                    c.add(fp32.run(Map.of("x", x)).get("prob").floats(), q.run(Map.of("x", x)).get("prob").floats());
                }
                assertTrue(c.sqnrDb() > 25, mode + " per-channel " + perChannel + ": " + c.sqnrDb() + " dB");
            }
        }
    }

    @Test
    void anOutputWithoutTableEntryStaysFloatAndItsProducerFallsBack() {
        Model m = model();
        // no entry for the Gemm output: Gemm needs one, so it runs in FP32 and writes float logits
        QuantizedModel q = QuantizedModelBuilder.build(m, table(m, inputs(4), List.of("logits", "prob")),
                RuntimeOptions.defaults(), FloatReference.registry());
        assertNull(q.paramsOf("logits"));
        assertEquals(List.of("fc (Gemm)", "sm (Softmax)"), q.fallbackNodes());
        Tensor prob = new Int8Engine(q, ExecContext.singleThreaded()).run(Map.of("x", inputs(1).get(0))).get("prob");
        assertEquals(1.0, prob.floats()[0] + prob.floats()[1] + prob.floats()[2], 1e-5, "float softmax output");
    }

    @Test
    void aTableEntryOutsideTheSchemeNamesTheTensor() {
        Model m = model();
        CalibrationTable t = table(m, inputs(2), List.of()).withTensor("g",
                new CalibrationTable.ActivationEntry("manual", true, 0, 1, 0.01, 300, 0, 1));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QuantizedModelBuilder.build(m, t, RuntimeOptions.defaults()));
        assertTrue(e.getMessage().contains("'g'"), e.getMessage());
    }

    @Test
    void theTapSeesDequantizedValuesOnTheirGrid() {
        Model m = model();
        CalibrationTable t = table(m, inputs(4), List.of());
        QuantizedModel q = QuantizedModelBuilder.build(m, t, RuntimeOptions.defaults());
        Map<String, Tensor> seen = new LinkedHashMap<>();
        new Int8Engine(q, ExecContext.singleThreaded()).run(Map.of("x", inputs(1).get(0)), seen::put,
                CancellationToken.none());
        assertEquals(List.of("x", "r", "g", "f", "logits", "prob"), List.copyOf(seen.keySet()));
        QuantParams p = q.paramsOf("r");
        for (float v : seen.get("r").floats()) {
            float steps = v / p.scale() + p.zeroPoint();
            assertEquals(Math.rint(steps), steps, 1e-3, "value " + v + " is not on the quantization grid");
            assertTrue(v >= 0, "Relu folded into the clamp");
        }
    }

    @Test
    void aMissingFeedIsReportedByName() {
        Model m = model();
        Int8Engine q = new Int8Engine(QuantizedModelBuilder.build(m, table(m, inputs(1), List.of()),
                RuntimeOptions.defaults()), ExecContext.singleThreaded());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> q.run(Map.of()));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
