package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The engine's own duties, with toy kernels so that it is tested apart from the real ones. */
class EngineTest {

    /** "AddOne" adds 1 to a float tensor; "Twice" returns its input twice (two outputs). */
    private static KernelRegistry toyRegistry() {
        KernelRegistry r = new KernelRegistry();
        r.register("AddOne", (node, opset) -> (in, ctx) -> {
            float[] x = in[0].floats();
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] + 1;
            }
            return new Tensor[] {Tensor.ofFloats(in[0].shape(), y)};
        });
        r.register("Twice", (node, opset) -> (in, ctx) -> new Tensor[] {in[0], in[0]});
        r.register("Fail", (node, opset) -> (in, ctx) -> {
            throw new KernelException("shapes [2] and [3] do not broadcast");
        });
        return r;
    }

    private static Model model(List<Node> nodes, String output) {
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, -1, 2)),
                List.of(ValueInfo.of(output, DType.FLOAT32, -1, 2)), Map.of(), Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    private static Engine engine(Model m) {
        return new Engine(m, toyRegistry(), ExecContext.singleThreaded());
    }

    private static Map<String, Tensor> feed(float... v) {
        return Map.of("x", Tensor.ofFloats(Shape.of(1, v.length), v));
    }

    @Test
    void runsNodesGivenOutOfOrderInDependencyOrder() {
        Model m = model(List.of(
                Node.of("second", "AddOne", List.of("a"), List.of("y")),
                Node.of("first", "AddOne", List.of("x"), List.of("a"))), "y");
        Map<String, Tensor> out = engine(m).run(feed(1, 2));
        assertArrayEquals(new float[] {3, 4}, out.get("y").floats());
    }

    @Test
    void tapSeesInputAndEveryFloatActivationInExecutionOrder() {
        Model m = model(List.of(
                Node.of("first", "AddOne", List.of("x"), List.of("a")),
                Node.of("second", "AddOne", List.of("a"), List.of("y"))), "y");
        List<String> seen = new ArrayList<>();
        engine(m).run(feed(0, 0), (name, v) -> seen.add(name + "=" + v.floats()[0]), CancellationToken.none());
        assertEquals(List.of("x=0.0", "a=1.0", "y=2.0"), seen);
    }

    @Test
    void tapSkipsConstantNodeOutputs() {
        KernelRegistry r = toyRegistry();
        r.register("Constant", (node, opset) -> (in, ctx) -> new Tensor[] {Tensor.scalar(6f)});
        Model m = model(List.of(
                Node.of("six", "Constant", List.of(), List.of("c")),
                Node.of("first", "AddOne", List.of("x"), List.of("y"))), "y");
        List<String> seen = new ArrayList<>();
        new Engine(m, r, ExecContext.singleThreaded()).run(feed(0, 0), (name, v) -> seen.add(name),
                CancellationToken.none());
        assertEquals(List.of("x", "y"), seen);
    }

    @Test
    void unsupportedOperatorIsReportedAtLoadWithNodeName() {
        Model m = model(List.of(Node.of("bar", "Foo", List.of("x"), List.of("y"))), "y");
        InvalidInputException e = assertThrows(UnsupportedOperatorException.class, () -> engine(m));
        assertEquals("unsupported operator Foo (node bar)", e.getMessage());
    }

    @Test
    void operatorOfAnotherDomainIsUnsupported() {
        Node n = new Node("q", "QuantizeLinear", "com.microsoft", List.of("x"), List.of("y"), Map.of());
        Model m = model(List.of(n), "y");
        assertEquals(List.of("unsupported operator com.microsoft.QuantizeLinear (node q)"),
                Engine.unsupportedOperators(m, toyRegistry()));
    }

    @Test
    void cycleIsRejectedAtLoad() {
        Model m = model(List.of(
                Node.of("a", "AddOne", List.of("y"), List.of("b")),
                Node.of("b", "AddOne", List.of("b"), List.of("y"))), "y");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> engine(m));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void missingInitializerOrInputIsRejectedAtLoad() {
        Model m = model(List.of(Node.of("a", "AddOne", List.of("w"), List.of("y"))), "y");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> engine(m));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }

    @Test
    void feedOfWrongShapeOrTypeOrNameIsRejectedWithOneLine() {
        Engine e = engine(model(List.of(Node.of("a", "AddOne", List.of("x"), List.of("y"))), "y"));
        InvalidInputException shape = assertThrows(InvalidInputException.class, () -> e.run(feed(1, 2, 3)));
        assertEquals("input 'x' has shape [1x3], the model expects float32[?,2]", shape.getMessage());
        InvalidInputException type = assertThrows(InvalidInputException.class,
                () -> e.run(Map.of("x", Tensor.ofInts(Shape.of(1, 2), 1, 2))));
        assertTrue(type.getMessage().contains("is int32"), type.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> e.run(Map.of()));
        assertTrue(missing.getMessage().startsWith("missing input 'x'"), missing.getMessage());
        assertFalse(missing.getMessage().contains("\n"));
    }

    @Test
    void kernelErrorNamesTheNode() {
        Engine e = engine(model(List.of(Node.of("adder", "Fail", List.of("x"), List.of("y"))), "y"));
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> e.run(feed(1, 2)));
        assertEquals("node adder (Fail): shapes [2] and [3] do not broadcast", ex.getMessage());
    }

    @Test
    void intermediatesAreReleasedAfterTheirLastReader() {
        // x -> a -> b -> y, plus a second reader of a at the end: a must live until then, b not.
        Model m = model(List.of(
                Node.of("n1", "AddOne", List.of("x"), List.of("a")),
                Node.of("n2", "AddOne", List.of("a"), List.of("b")),
                Node.of("n3", "AddOne", List.of("b"), List.of("c")),
                Node.of("n4", "Twice", List.of("a"), List.of("y", "unused"))), "y");
        Engine e = engine(m);
        Map<String, Tensor> out = e.run(feed(5, 5));
        assertArrayEquals(new float[] {6, 6}, out.get("y").floats());
        assertEquals(1, out.size());
    }

    @Test
    void cancellationStopsBetweenNodes() {
        Engine e = engine(model(List.of(Node.of("a", "AddOne", List.of("x"), List.of("y"))), "y"));
        CancellationToken t = new CancellationToken();
        t.cancel();
        assertThrows(CancellationToken.CancelledException.class, () -> e.run(feed(1, 2), ActivationTap.NONE, t));
    }

    @Test
    void parallelForCoversTheRangeOnceWithAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3}) {
            ExecContext ctx = ExecContext.withThreads(threads);
            int n = 100_003;
            int[] hits = new int[n];
            ctx.parallelFor(n, 1, (s, en) -> {
                for (int i = s; i < en; i++) {
                    hits[i]++;
                }
            });
            for (int h : hits) {
                assertEquals(1, h);
            }
        }
    }
}
