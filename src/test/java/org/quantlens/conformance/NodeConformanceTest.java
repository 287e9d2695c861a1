package org.quantlens.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Node;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.testing.SharedFixtures;

/**
 * ONNX's own backend tests through the FP32 engine: one dynamic test per folder of
 * {@code ../shared/onnx-node-tests} and {@code ../shared/onnx-node-tests/pytorch-converted}.
 *
 * <p>A test whose operators are all in the foundation's operator list must pass (rtol 1e-4, atol 1e-5, the
 * {@code conformance} command's defaults); any other test must be reported {@code unsupported}, never fail.
 * Run a subset with {@code -Dconformance.only=test_conv,test_gemm} (name prefixes).
 */
class NodeConformanceTest {
    /** The FP32 operators the foundation issue lists; tests of other operators must come back "unsupported". */
    static final Set<String> ENGINE_OPERATORS = Set.of("Conv", "Gemm", "MatMul", "Relu", "LeakyRelu", "Clip",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax", "Exp", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Concat",
            "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Gather", "Shape", "Cast", "Pad",
            "Identity", "Constant", "ReduceMean", "Resize", "QuantizeLinear", "DequantizeLinear");

    private static final ConformanceRunner RUNNER =
            new ConformanceRunner(1e-4, 1e-5, KernelRegistry.standard(), ExecContext.withThreads(2));

    @TestFactory
    Stream<DynamicTest> onnxNodeTests() {
        return testsIn(SharedFixtures.require("onnx-node-tests"));
    }

    @TestFactory
    Stream<DynamicTest> pytorchConvertedTests() {
        return testsIn(SharedFixtures.require("onnx-node-tests/pytorch-converted"));
    }

    private static Stream<DynamicTest> testsIn(Path dir) {
        String only = System.getProperty("conformance.only", "");
        List<String> prefixes = only.isBlank() ? List.of() : Arrays.asList(only.split(","));
        return ConformanceRunner.findTests(dir).stream()
                .filter(p -> prefixes.isEmpty() || prefixes.stream().anyMatch(p.getFileName().toString()::startsWith))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path testDir) {
        ConformanceResult r = RUNNER.run(testDir);
        boolean allSupported = OnnxReader.read(testDir.resolve("model.onnx")).graph().nodes().stream()
                .map(Node::opType).allMatch(ENGINE_OPERATORS::contains);
        if (allSupported) {
            assertEquals(ConformanceResult.PASS, r.status(), r.name() + ": " + r.detail());
        } else {
            assertNotEquals(ConformanceResult.FAIL, r.status(), r.name() + ": " + r.detail());
        }
    }
}
