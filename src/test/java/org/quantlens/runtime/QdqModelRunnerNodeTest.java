package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quantlens.conformance.TensorComparison;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.testing.SharedFixtures;

/**
 * ONNX's backend tests of the quantized operators through {@link QdqModelRunner}: every step is an integer (or
 * quantize/dequantize) step, none a fallback; integer outputs equal ONNX's expected data exactly, float outputs
 * within rtol 1e-4, atol 1e-5. The expected data is ONNX's (reference implementation), also for
 * test_convinteger_with_padding, which ONNX Runtime cannot run (per-channel w_zero_point).
 */
class QdqModelRunnerNodeTest {

    static Stream<Arguments> cases() {
        List<String> tests = List.of("test_qlinearconv", "test_qlinearmatmul_2D_int8_float32",
                "test_qlinearmatmul_2D_uint8_float32", "test_qlinearmatmul_3D_uint8_float32",
                "test_convinteger_with_padding", "test_convinteger_without_padding", "test_matmulinteger",
                "test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear",
                "test_dequantizelinear_axis");
        return tests.stream().flatMap(t -> Stream.of(RequantMode.values()).map(m -> Arguments.of(t, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void quantizedOperatorTestPassesThroughTheInt8Path(String test, RequantMode mode) throws IOException {
        Path dir = SharedFixtures.require("onnx-node-tests/" + test);
        Model model = OnnxReader.read(dir.resolve("model.onnx"));
        QdqModelRunner runner = QdqModelRunner.load(model, RuntimeOptions.defaults().withRequantMode(mode),
                ExecContext.singleThreaded());
        assertTrue(runner.fallbackNodes().isEmpty(), "fallbacks: " + runner.fallbackNodes());
        assertFalse(runner.engine().model().steps().stream().anyMatch(QuantizedStep::fallback));

        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        assertFalse(sets.isEmpty());
        for (Path set : sets) {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            List<String> inputs = model.graph().inputNames();
            for (int i = 0; i < inputs.size(); i++) {
                feeds.put(inputs.get(i), TensorProtoFormat.readFile(set.resolve("input_" + i + ".pb")).tensor());
            }
            Map<String, Tensor> outs = runner.run(feeds);
            List<String> outputs = model.graph().outputNames();
            for (int j = 0; j < outputs.size(); j++) {
                Tensor expected = TensorProtoFormat.readFile(set.resolve("output_" + j + ".pb")).tensor();
                Tensor actual = outs.get(outputs.get(j));
                TensorComparison c = TensorComparison.compare(actual, expected, 1e-4, 1e-5);
                assertEquals(null, c.problem(), test + " " + outputs.get(j));
                assertTrue(c.matches(), test + " " + outputs.get(j) + ": expected " + expected + " got " + actual
                        + " (max abs " + c.maxAbs() + ")");
                if (!expected.dtype().isFloatingPoint()) {
                    assertEquals(0.0, c.maxAbs(), "integer outputs are exact");
                }
            }
        }
    }
}
