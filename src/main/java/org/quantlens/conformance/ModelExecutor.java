package org.quantlens.conformance;

import java.util.Map;
import java.util.function.Predicate;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.tensor.Tensor;

/**
 * How {@link ConformanceRunner} runs a model: {@link #load} prepares it (throwing
 * {@link org.quantlens.exec.UnsupportedOperatorException} when this executor cannot run one of its operators, which
 * the runner reports as "unsupported"), the returned {@link LoadedModel} maps feeds to graph outputs by name.
 */
@FunctionalInterface
public interface ModelExecutor {

    /** A model ready to run. */
    @FunctionalInterface
    interface LoadedModel {
        /** The graph outputs for {@code feeds} (by graph input name). */
        Map<String, Tensor> run(Map<String, Tensor> feeds);
    }

    /** Prepares {@code model}; throws UnsupportedOperatorException, or InvalidInputException for a bad model. */
    LoadedModel load(Model model);

    /** The FP32 {@link Engine} with {@code registry}'s kernels. */
    static ModelExecutor fp32(KernelRegistry registry, ExecContext ctx) {
        return model -> {
            Engine engine = new Engine(model, registry, ctx);
            return engine::run;
        };
    }

    /** {@code chosen} for models {@code test} accepts, else {@code otherwise}. */
    static ModelExecutor choosing(Predicate<Model> test, ModelExecutor chosen, ModelExecutor otherwise) {
        return model -> (test.test(model) ? chosen : otherwise).load(model);
    }
}
