package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Tensor;

/**
 * ONNX Runtime's QDQ models of ../shared/reference run unchanged on the FP32 engine, QuantizeLinear and
 * DequantizeLinear computed as the ONNX spec says (their biases carry a scale of shape [1] next to a scalar zero
 * point, which ONNX Runtime accepts as per-tensor). The engine simulates the quantization in float, ONNX Runtime runs
 * integer kernels that requantize in float as well, so the logits agree up to values that sit on a rounding tie in
 * one of the two: at most 1% of the logits differ, each by at most 1% of the logits' range (one output step is about
 * 0.4% here), and top-1 agreement is at least 99%.
 */
class QdqModelFloatEngineTest {
    private static final List<String> SETTINGS = List.of("qdq_minmax_per_tensor", "qdq_minmax_per_channel",
            "qdq_entropy_per_channel", "qdq_percentile_per_channel", "qdq_s8s8_symmetric_minmax_per_channel");

    static Stream<Arguments> cases() {
        return Stream.of("digits_mlp", "digits_lenet").flatMap(m -> SETTINGS.stream().map(s -> Arguments.of(m, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void ortQdqModelRunsOnTheFloatEngine(String name, String setting) throws Exception {
        ReferenceModels ref = new ReferenceModels(name);
        Model qdq = OnnxReader.read(ref.dir.resolve(setting + ".onnx"));
        Tensor test = ref.npy("test.npy");
        Tensor ort = ref.npy(setting + "_logits.npy");

        Tensor ours = Engine.load(qdq).run(Map.of(qdq.graph().inputNames().get(0), test))
                .get(qdq.graph().outputNames().get(0));

        assertEquals(ort.shape(), ours.shape());
        float[] a = ort.floats();
        float[] b = ours.floats();
        double maxDiff = 0;
        int differing = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            differing += a[i] != b[i] ? 1 : 0;
            lo = Math.min(lo, a[i]);
            hi = Math.max(hi, a[i]);
        }
        int classes = ort.shape().dim(1);
        int rows = ort.shape().dim(0);
        int agree = 0;
        for (int r = 0; r < rows; r++) {
            agree += Evaluator.argmax(a, r * classes, classes) == Evaluator.argmax(b, r * classes, classes) ? 1 : 0;
        }
        System.out.printf("FP32 engine on %s %s: %d of %d logits differ, max abs diff %.3g (range %.3g), "
                + "top-1 agreement %.4f%n", name, setting, differing, a.length, maxDiff, hi - lo, agree / (double) rows);
        assertTrue(differing <= 0.01 * a.length, differing + " logits differ");
        assertTrue(maxDiff <= 0.01 * (hi - lo), "max abs diff " + maxDiff);
        assertTrue(agree >= 0.99 * rows, "agreement " + agree + "/" + rows);
    }
}
