package org.quantlens.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.UnsupportedOperatorException;
import org.quantlens.ir.Model;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** {@link ConformanceRunner} with a {@link ModelExecutor}: the executor decides, the runner reports. */
class ConformanceRunnerExecutorTest {
    private static final ModelExecutor FP32 = ModelExecutor.fp32(KernelRegistry.standard(), ExecContext.singleThreaded());

    @Test
    void choosingSendsMatchingModelsToTheChosenExecutor() {
        Path relu = SharedFixtures.require("onnx-node-tests/test_relu");
        List<String> used = new ArrayList<>();
        ModelExecutor spyChosen = model -> {
            used.add("chosen");
            return FP32.load(model);
        };
        ModelExecutor spyOther = model -> {
            used.add("other");
            return FP32.load(model);
        };
        ConformanceRunner runner = new ConformanceRunner(1e-4, 1e-5, ModelExecutor.choosing(
                m -> m.graph().nodes().stream().anyMatch(n -> n.opType().equals("Relu")), spyChosen, spyOther));

        assertEquals(ConformanceResult.PASS, runner.run(relu).status());
        assertEquals(List.of("chosen"), used);
    }

    @Test
    void executorThatCannotRunTheModelMakesItUnsupported() {
        Path relu = SharedFixtures.require("onnx-node-tests/test_relu");
        ConformanceRunner runner = new ConformanceRunner(1e-4, 1e-5, (Model m) -> {
            throw new UnsupportedOperatorException("unsupported operator Relu (node x)");
        });

        ConformanceResult r = runner.run(relu);

        assertEquals(ConformanceResult.UNSUPPORTED, r.status());
        assertTrue(r.detail().contains("Relu"), r.detail());
    }

    @Test
    void wrongOutputsFromTheExecutorAreAFailureNotACrash() {
        Path relu = SharedFixtures.require("onnx-node-tests/test_relu");
        ConformanceRunner runner = new ConformanceRunner(1e-4, 1e-5, m -> feeds -> {
            Tensor x = feeds.values().iterator().next();
            float[] wrong = x.floats().clone(); // the input itself, not its Relu
            return Map.of(m.graph().outputNames().get(0), Tensor.ofFloats(x.shape(), wrong));
        });

        assertEquals(ConformanceResult.FAIL, runner.run(relu).status());
    }
}
