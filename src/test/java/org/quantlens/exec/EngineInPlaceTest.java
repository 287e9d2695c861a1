package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The engine writes an {@link InPlaceKernel}'s result over an input only when nobody else can see that input: the
 * results equal a run without in-place work, and feeds, initializers, constants, shared views and tapped tensors are
 * never modified.
 */
class EngineInPlaceTest {
    private static final float[] X = {-2f, -0.5f, 0f, 1.5f, 7f, Float.NaN};

    private static Model model(List<Node> nodes, Map<String, Tensor> inits, String... outputs) {
        List<ValueInfo> outs = new ArrayList<>();
        for (String o : outputs) {
            outs.add(ValueInfo.of(o, DType.FLOAT32, 2, 3));
        }
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 2, 3)), outs, inits, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    private static Map<String, Tensor> feed() {
        return Map.of("x", Tensor.ofFloats(Shape.of(2, 3), X.clone()));
    }

    private static Map<String, Tensor> run(Model m, ExecContext ctx) {
        return new Engine(m, KernelRegistry.standard(), ctx).run(feed());
    }

    /** The same graph run with a tap, which turns in-place work off: the reference results. */
    private static Map<String, Tensor> runTapped(Model m) {
        return new Engine(m, KernelRegistry.standard(), ExecContext.singleThreaded())
                .run(feed(), (n, t) -> { }, CancellationToken.none());
    }

    private static Map<String, Tensor> lowHigh() {
        Map<String, Tensor> inits = new LinkedHashMap<>();
        inits.put("lo", Tensor.scalar(0f));
        inits.put("hi", Tensor.scalar(6f));
        inits.put("w", Tensor.ofFloats(Shape.of(3), 1f, -1f, 0.25f));
        return inits;
    }

    @Test
    void chainOfInPlaceNodesGivesTheSameBitsAsFreshOutputs() {
        Model m = model(List.of(
                Node.of("add", "Add", List.of("x", "w"), List.of("a")),
                Node.of("relu", "Relu", List.of("a"), List.of("r")),
                Node.of("mul", "Mul", List.of("w", "r"), List.of("p")),
                Node.of("clip", "Clip", List.of("p", "lo", "hi"), List.of("y"))), lowHigh(), "y");
        Map<String, Tensor> expected = runTapped(m);
        for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), ExecContext.withThreads(2)}) {
            assertArrayEquals(expected.get("y").floats(), run(m, ctx).get("y").floats());
        }
        // By hand: x + w = [-1, -1.5, 0.25, 2.5, 6, NaN], relu, times w, clip to [0, 6].
        assertArrayEquals(new float[] {0, 0, 0.0625f, 2.5f, 0, Float.NaN}, expected.get("y").floats());
    }

    @Test
    void feedIsNeverOverwrittenEvenThroughAView() {
        Model m = model(List.of(
                Node.of("flat", "Flatten", List.of("x"), List.of("f"), Attribute.ofInt("axis", 0)),
                Node.of("relu", "Relu", List.of("f"), List.of("r")),
                Node.of("back", "Reshape", List.of("r", "shape"), List.of("y"))),
                Map.of("shape", Tensor.ofLongs(Shape.of(2), 2, 3)), "y");
        Map<String, Tensor> feeds = feed();
        new Engine(m, KernelRegistry.standard(), ExecContext.singleThreaded()).run(feeds);
        assertArrayEquals(X, feeds.get("x").floats());
    }

    @Test
    void initializerAndConstantAreNeverOverwritten() {
        Tensor constant = Tensor.ofFloats(Shape.of(2, 3), -1, 2, -3, 4, -5, 6);
        Map<String, Tensor> inits = lowHigh();
        Model m = model(List.of(
                Node.of("c", "Constant", List.of(), List.of("c"), Attribute.ofTensor("value", constant)),
                Node.of("reluC", "Relu", List.of("c"), List.of("rc")),
                Node.of("id", "Identity", List.of("w"), List.of("wi")),
                Node.of("reluW", "Relu", List.of("wi"), List.of("rw")),
                Node.of("sum", "Add", List.of("rc", "rw"), List.of("y"))), inits, "y");
        Engine e = new Engine(m, KernelRegistry.standard(), ExecContext.singleThreaded());
        Tensor first = e.run(feed()).get("y");
        Tensor second = e.run(feed()).get("y");
        assertArrayEquals(new float[] {-1, 2, -3, 4, -5, 6}, constant.floats());
        assertArrayEquals(new float[] {1f, -1f, 0.25f}, inits.get("w").floats());
        assertArrayEquals(new float[] {1, 2, 0.25f, 5, 0, 6.25f}, first.floats());
        assertArrayEquals(first.floats(), second.floats());
    }

    @Test
    void valueWithAnotherReaderIsNotOverwritten() {
        Model m = model(List.of(
                Node.of("add", "Add", List.of("x", "w"), List.of("a")),
                Node.of("view", "Reshape", List.of("a", "shape"), List.of("v")),
                Node.of("relu", "Relu", List.of("v"), List.of("r")),
                Node.of("sub", "Sub", List.of("a", "r"), List.of("y"))), withShape(lowHigh()), "y");
        // y = a - relu(a) = min(a, 0): wrong if Relu overwrote a through the view.
        assertArrayEquals(new float[] {-1, -1.5f, 0, 0, 0, Float.NaN}, run(m, ExecContext.singleThreaded()).get("y").floats());
    }

    @Test
    void tappedRunsDoNotOverwriteWhatTheTapWasShown() {
        Model m = model(List.of(
                Node.of("add", "Add", List.of("x", "w"), List.of("a")),
                Node.of("relu", "Relu", List.of("a"), List.of("y"))), lowHigh(), "y");
        Map<String, Tensor> shown = new LinkedHashMap<>();
        new Engine(m, KernelRegistry.standard(), ExecContext.singleThreaded())
                .run(feed(), shown::put, CancellationToken.none());
        assertArrayEquals(new float[] {-1, -1.5f, 0.25f, 2.5f, 6, Float.NaN}, shown.get("a").floats());
        assertNotSame(shown.get("a").floats(), shown.get("y").floats());
    }

    @Test
    void untappedRunReusesTheDyingArray() {
        KernelRegistry r = KernelRegistry.standard();
        Model m = model(List.of(
                Node.of("add", "Add", List.of("x", "w"), List.of("a")),
                Node.of("relu", "Relu", List.of("a"), List.of("y"))), lowHigh(), "y");
        float[][] made = new float[1][];
        KernelRegistry spy = new KernelRegistry();
        spy.register("Relu", r.find("Relu"));
        spy.register("Add", (node, opset) -> {
            OpKernel add = r.find("Add").create(node, opset);
            return (in, ctx) -> {
                Tensor[] out = add.compute(in, ctx);
                made[0] = out[0].floats();
                return out;
            };
        });
        Tensor y = new Engine(m, spy, ExecContext.singleThreaded()).run(feed()).get("y");
        assertSame(made[0], y.floats());
        assertEquals(0.25f, y.floats()[2]);
    }

    private static Map<String, Tensor> withShape(Map<String, Tensor> inits) {
        inits.put("shape", Tensor.ofLongs(Shape.of(2), 2, 3));
        return inits;
    }
}
