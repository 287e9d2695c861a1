package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Shape;
import org.quantlens.testing.SharedFixtures;

/**
 * Shape inference on the shared reference models (PyTorch exports with a dynamic batch, README of
 * ../shared/reference): the FP32 models and their ONNX Runtime QDQ versions must infer {@code logits} as
 * {@code [batch, 10]} with the batch symbolic or unknown, and as {@code [16, 10]} for a concrete batch of 16.
 */
class ShapeInferenceReferenceModelsTest {

    @TestFactory
    Stream<DynamicTest> referenceModelsInferLogitsAsBatchBy10() throws IOException {
        Path root = SharedFixtures.require("reference");
        List<Path> models;
        try (Stream<Path> s = Files.walk(root, 2)) {
            models = s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        }
        assertFalse(models.isEmpty(), "no .onnx under " + root);
        return models.stream().map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> check(p)));
    }

    private static void check(Path file) {
        Model model = OnnxReader.read(file);
        Map<String, ValueInfo> r = ShapeInference.infer(model);
        checkLogits(model, r);

        // Without the declared outputs and value_info, inference alone must carry the input's batch symbol.
        Graph g = model.graph();
        List<ValueInfo> bareOutputs = g.outputs().stream().map(v -> new ValueInfo(v.name(), null, 0, null)).toList();
        Model bare = model.withGraph(new Graph(g.name(), g.nodes(), g.inputs(), bareOutputs, g.initializers(),
                Map.of()));
        Map<String, ValueInfo> inferred = ShapeInference.infer(bare);
        checkLogits(bare, inferred);
        Dim inputBatch = g.inputs().get(0).dims().get(0);
        assertEquals(inputBatch, inferred.get("logits").dims().get(0), inferred.get("logits").typeString());

        checkConcreteBatch(model);
    }

    private static void checkLogits(Model model, Map<String, ValueInfo> r) {
        ValueInfo logits = r.get("logits");
        assertNotNull(logits, "no logits in " + r.keySet());
        assertEquals(2, logits.dims().size(), logits.typeString());
        assertFalse(logits.dims().get(0).isKnown(), "batch should be symbolic or unknown: " + logits.typeString());
        assertEquals(Dim.of(10), logits.dims().get(1), logits.typeString());
        for (Node n : model.graph().nodes()) {
            for (String out : n.outputs()) {
                assertNotNull(r.get(out).dims(), n.displayName() + " output " + out + " has unknown rank");
            }
        }
    }

    private static void checkConcreteBatch(Model model) {

        String input = model.graph().inputNames().get(0);
        List<Dim> declared = model.graph().inputs().get(0).dims();
        long[] concrete = new long[declared.size()];
        for (int i = 0; i < concrete.length; i++) {
            concrete[i] = declared.get(i).isKnown() ? declared.get(i).value() : 16;
        }
        Map<String, ValueInfo> batch = ShapeInference.infer(model, Map.of(input, Shape.of(concrete)));
        assertEquals("float32[16,10]", batch.get("logits").typeString());
        for (ValueInfo v : batch.values()) {
            assertTrue(v.dims() != null && v.dims().stream().allMatch(Dim::isKnown),
                    "with a concrete batch every value should have known dims: " + v.name() + " " + v.typeString());
        }
    }
}
