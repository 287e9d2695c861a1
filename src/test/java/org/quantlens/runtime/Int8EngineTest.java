package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class Int8EngineTest {
    private final Model model = BranchyModel.model(1);
    private final Tensor data = BranchyModel.random(new Random(2), Shape.of(12, 2, 6, 6), 1.5f);

    @Test
    void everyNodeOfTheBranchyModelRunsAsAnIntegerKernel() {
        QuantizedModel q = QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                RuntimeOptions.defaults());
        assertEquals(List.of("Conv+Clip", "Conv", "Add", "Mul", "Concat", "MaxPool", "Reshape"),
                q.steps().stream().map(QuantizedStep::op).toList());
        assertEquals(List.of(), q.fallbackNodes());
        assertEquals(q.paramsOf("cat"), q.paramsOf("mp"), "MaxPool keeps its input's parameters");
    }

    @Test
    void outputsTrackFp32InBothRequantModesAndThreadCountsDoNotMatter() {
        Engine fp32 = new Engine(model, FloatReference.registry(), ExecContext.singleThreaded());
        Tensor ref = fp32.run(Map.of("x", data)).get("out");
        for (RequantMode mode : RequantMode.values()) {
            QuantizedModel q = QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                    RuntimeOptions.defaults().withRequantMode(mode));
            Tensor one = new Int8Engine(q, ExecContext.singleThreaded()).run(Map.of("x", data)).get("out");
            Tensor two = new Int8Engine(q, ExecContext.withThreads(2)).run(Map.of("x", data)).get("out");
            assertTrue(one.contentEquals(two));
            SignalComparison c = new SignalComparison();
            c.add(ref.floats(), one.floats());
            assertTrue(c.sqnrDb() > 25, mode + ": " + c.sqnrDb() + " dB");
        }
    }

    @Test
    void anUnknownFeedIsRejected() {
        Int8Engine e = new Int8Engine(QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                RuntimeOptions.defaults()), ExecContext.singleThreaded());
        InvalidInputException ex = assertThrows(InvalidInputException.class,
                () -> e.run(Map.of("x", data, "y", data)));
        assertTrue(ex.getMessage().contains("'y'"), ex.getMessage());
    }

    @Test
    void aBadlyShapedFeedNamesTheNode() {
        Int8Engine e = new Int8Engine(QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                RuntimeOptions.defaults()), ExecContext.singleThreaded());
        Tensor wrong = Tensor.ofFloats(Shape.of(1, 3, 6, 6), new float[108]);
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> e.run(Map.of("x", wrong)));
        assertTrue(ex.getMessage().startsWith("node conv1 (Conv+Clip)"), ex.getMessage());
    }
}
