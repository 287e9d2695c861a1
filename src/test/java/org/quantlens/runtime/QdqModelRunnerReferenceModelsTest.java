package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Tensor;

/**
 * ONNX Runtime's own QDQ models of ../shared/reference (five settings per model) run through
 * {@link QdqModelRunner} on test.npy: top-1 agreement with the logits ONNX Runtime computed for them
 * ({@code qdq_*_logits.npy}) at least 99% and logits SQNR against them at least 30 dB, in both requantization
 * modes (float requantization, ONNX Runtime's rule, gives its logits bit for bit); every Conv/Gemm/MaxPool runs in integers (the only fallback is the MLP's Flatten of the float input).
 */
class QdqModelRunnerReferenceModelsTest {
    private static final List<String> SETTINGS = List.of("qdq_minmax_per_tensor", "qdq_minmax_per_channel",
            "qdq_entropy_per_channel", "qdq_percentile_per_channel", "qdq_s8s8_symmetric_minmax_per_channel");

    static Stream<Arguments> cases() {
        return Stream.of("digits_mlp", "digits_lenet").flatMap(m -> SETTINGS.stream()
                .flatMap(s -> Stream.of(RequantMode.values()).map(mode -> Arguments.of(m, s, mode))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void ortQdqModelLogitsAreReproduced(String name, String setting, RequantMode mode) throws Exception {
        ReferenceModels ref = new ReferenceModels(name);
        Model qdq = OnnxReader.read(ref.dir.resolve(setting + ".onnx"));
        QdqModelRunner runner = QdqModelRunner.load(qdq, RuntimeOptions.defaults().withRequantMode(mode),
                ExecContext.singleThreaded());
        Tensor test = ref.npy("test.npy");
        Tensor ort = ref.npy(setting + "_logits.npy");

        Tensor ours = runner.run(Map.of(qdq.graph().inputNames().get(0), test)).get(qdq.graph().outputNames().get(0));

        // the MLP flattens the float input before its first QuantizeLinear, as ONNX Runtime does: that Flatten is float
        assertEquals(name.equals("digits_mlp") ? List.of("/Flatten (Flatten)") : List.of(), runner.fallbackNodes());
        assertEquals(ort.shape(), ours.shape());
        SignalComparison c = new SignalComparison();
        c.add(ort.floats(), ours.floats());
        int classes = ort.shape().dim(1);
        int rows = ort.shape().dim(0);
        int agree = 0;
        for (int r = 0; r < rows; r++) {
            agree += Evaluator.argmax(ort.floats(), r * classes, classes)
                    == Evaluator.argmax(ours.floats(), r * classes, classes) ? 1 : 0;
        }
        double agreement = agree / (double) rows;
        System.out.printf("QDQ %s %s %s: top-1 agreement with ORT %.4f, logits SQNR vs ORT %.2f dB%n",
                name, setting, mode, agreement, c.sqnrDb());
        assertTrue(agreement >= 0.99, "agreement " + agreement);
        assertTrue(c.sqnrDb() >= 30, "SQNR " + c.sqnrDb());
        if (mode == RequantMode.FLOAT) { // ORT's own requantization rule and the file's parameters: the same bits
            assertArrayEquals(ort.floats(), ours.floats());
        }
    }
}
