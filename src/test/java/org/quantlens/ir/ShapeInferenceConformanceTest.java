package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.quantlens.conformance.ConformanceRunner;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.NamedTensor;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/**
 * Shape inference against ONNX's backend node tests: the expected output tensors of each test (computed by the
 * ONNX reference implementation) fix the true output shape. The declared output shapes and value_info are removed
 * first, so only inference speaks.
 * <ul>
 *   <li>With the inputs as declared (no values), inference must not fail, and every dim it claims to know must
 *       be the true one.</li>
 *   <li>With the test's input values given as initializers (so shape, axes, pads, scales inputs are constant),
 *       every output of a graph made only of supported operators must be fully known and exact.</li>
 * </ul>
 */
class ShapeInferenceConformanceTest {
    private static final Set<String> SUPPORTED = Set.of("Conv", "Gemm", "MatMul", "Relu", "LeakyRelu", "Clip",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax", "Exp", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Concat",
            "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Gather", "Shape", "Cast", "Pad",
            "Identity", "Constant", "ReduceMean", "Resize", "QuantizeLinear", "DequantizeLinear", "QLinearConv",
            "QLinearMatMul", "ConvInteger", "MatMulInteger");

    @TestFactory
    Stream<DynamicTest> onnxNodeTests() {
        return testsIn(SharedFixtures.require("onnx-node-tests"));
    }

    @TestFactory
    Stream<DynamicTest> pytorchConvertedTests() {
        return testsIn(SharedFixtures.require("onnx-node-tests/pytorch-converted"));
    }

    private static Stream<DynamicTest> testsIn(Path dir) {
        return ConformanceRunner.findTests(dir).stream()
                .filter(p -> Files.isDirectory(p.resolve("test_data_set_0")))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path testDir) {
        Model model = OnnxReader.read(testDir.resolve("model.onnx"));
        Graph g = model.graph();
        Path data = testDir.resolve("test_data_set_0");
        List<Tensor> expected = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            expected.add(TensorProtoFormat.readFile(data.resolve("output_" + i + ".pb")).tensor());
        }
        List<ValueInfo> bareOutputs = g.outputs().stream().map(v -> new ValueInfo(v.name(), null, 0, null)).toList();

        Graph declaredOnly = new Graph(g.name(), g.nodes(), g.inputs(), bareOutputs, g.initializers(), Map.of());
        Map<String, ValueInfo> loose = ShapeInference.infer(model.withGraph(declaredOnly));
        for (int i = 0; i < expected.size(); i++) {
            assertConsistent(loose.get(g.outputs().get(i).name()), expected.get(i), false);
        }

        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        for (int i = 0; i < g.inputs().size(); i++) {
            NamedTensor in = TensorProtoFormat.readFile(data.resolve("input_" + i + ".pb"));
            inits.put(g.inputs().get(i).name(), in.tensor());
        }
        Graph withValues = new Graph(g.name(), g.nodes(), List.of(), bareOutputs, inits, Map.of());
        Map<String, ValueInfo> strict = ShapeInference.infer(model.withGraph(withValues));
        boolean supported = g.nodes().stream().allMatch(n -> SUPPORTED.contains(n.opType()));
        for (int i = 0; i < expected.size(); i++) {
            assertConsistent(strict.get(g.outputs().get(i).name()), expected.get(i), supported);
        }
    }

    private static void assertConsistent(ValueInfo inferred, Tensor expected, boolean mustKnow) {
        assertNotNull(inferred);
        String what = inferred.name() + ": inferred " + inferred.typeString() + ", expected "
                + expected.dtype().displayName() + expected.shape();
        if (inferred.dtype() != null || mustKnow) {
            assertEquals(expected.dtype(), inferred.dtype(), what);
        }
        if (inferred.dims() == null) {
            assertTrue(!mustKnow, what);
            return;
        }
        assertEquals(expected.rank(), inferred.dims().size(), what);
        for (int d = 0; d < expected.rank(); d++) {
            Dim dim = inferred.dims().get(d);
            if (dim.isKnown() || mustKnow) {
                assertEquals(expected.shape().dim(d), dim.value(), what);
            }
        }
    }
}
