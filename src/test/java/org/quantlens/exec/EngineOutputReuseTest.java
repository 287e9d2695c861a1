package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.quantlens.bench.MobileNetV2Model;
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
 * Untapped runs recycle the arrays of dead intermediates ({@link OutputArrays}): results are the bits of a tapped run
 * (which recycles nothing, fuses nothing and works nowhere in place), run after run, on one or two threads and from
 * concurrent callers; arrays handed to a caller are never written by a later run.
 */
class EngineOutputReuseTest {
    /**
     * x [1,2,4,4] -> Conv 3x3 (fused Relu) r -> Flatten view f (a graph output that a later node reads too),
     * MaxPool 2x2 p (output), GlobalAveragePool g (output); m = f * f, s = Sigmoid(m) (in place), z = s + f (output).
     */
    private static Model branchyModel() {
        Random rnd = new Random(3);
        float[] w = new float[2 * 2 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        Map<String, Tensor> inits = new LinkedHashMap<>();
        inits.put("w", Tensor.ofFloats(Shape.of(2, 2, 3, 3), w));
        inits.put("b", Tensor.ofFloats(Shape.of(2), 0.25f, -0.25f));
        List<Node> nodes = List.of(
                Node.of("conv", "Conv", List.of("x", "w", "b"), List.of("c"), Attribute.ofInts("pads", 1, 1, 1, 1)),
                Node.of("relu", "Relu", List.of("c"), List.of("r")),
                Node.of("flat", "Flatten", List.of("r"), List.of("f"), Attribute.ofInt("axis", 1)),
                Node.of("pool", "MaxPool", List.of("r"), List.of("p"), Attribute.ofInts("kernel_shape", 2, 2),
                        Attribute.ofInts("strides", 2, 2)),
                Node.of("gap", "GlobalAveragePool", List.of("r"), List.of("g")),
                Node.of("mul", "Mul", List.of("f", "f"), List.of("m")),
                Node.of("sig", "Sigmoid", List.of("m"), List.of("s")),
                Node.of("add", "Add", List.of("s", "f"), List.of("z")));
        List<ValueInfo> outs = List.of(ValueInfo.of("f", DType.FLOAT32, 1, 32), ValueInfo.of("p", DType.FLOAT32, 1, 2, 2, 2),
                ValueInfo.of("g", DType.FLOAT32, 1, 2, 1, 1), ValueInfo.of("z", DType.FLOAT32, 1, 32));
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2, 4, 4)), outs, inits, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    private static Map<String, Tensor> feed(String name, Shape shape, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[shape.numElements()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Map.of(name, Tensor.ofFloats(shape, x));
    }

    private static Map<String, Tensor> smallFeed(long seed) {
        return feed("x", Shape.of(1, 2, 4, 4), seed);
    }

    /** The reference: a tapped run recycles nothing. */
    private static Map<String, float[]> tapped(Engine e, Map<String, Tensor> feeds) {
        return copies(e.run(feeds, (n, t) -> { }, CancellationToken.none()));
    }

    private static Map<String, float[]> copies(Map<String, Tensor> outs) {
        Map<String, float[]> c = new LinkedHashMap<>();
        outs.forEach((k, v) -> c.put(k, v.floats().clone()));
        return c;
    }

    private static void assertSameBits(Map<String, float[]> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k).floats(), k));
    }

    @Test
    void repeatedRunsGiveTheBitsOfATappedRun() {
        for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), ExecContext.withThreads(2)}) {
            Engine e = new Engine(branchyModel(), KernelRegistry.standard(), ctx);
            for (int run = 0; run < 6; run++) {
                Map<String, Tensor> feeds = smallFeed(run % 3);
                Map<String, float[]> expected = tapped(e, feeds);
                assertSameBits(expected, e.run(feeds));
            }
        }
    }

    @Test
    void outputsHandedToTheCallerAreNotChangedByLaterRuns() {
        Engine e = new Engine(branchyModel(), KernelRegistry.standard(), ExecContext.singleThreaded());
        Map<String, Tensor> first = e.run(smallFeed(1));
        Map<String, float[]> firstCopy = copies(first);
        for (int run = 0; run < 4; run++) {
            Map<String, Tensor> later = e.run(smallFeed(100 + run));
            for (String name : first.keySet()) {
                assertNotSame(first.get(name).floats(), later.get(name).floats(), name);
            }
        }
        assertSameBits(firstCopy, first);
        // And the held outputs are the right ones, not just stable ones.
        assertSameBits(tapped(e, smallFeed(1)), first);
    }

    /** Conv c1 -> Conv c2 -> Conv y, each output read once: c1's array is dead when the third Conv runs. */
    private static Model convChain() {
        Map<String, Tensor> inits = new LinkedHashMap<>();
        inits.put("w", Tensor.ofFloats(Shape.of(2, 2, 1, 1), 0.5f, -1f, 2f, 0.25f));
        List<Node> nodes = List.of(
                Node.of("c1", "Conv", List.of("x", "w"), List.of("a")),
                Node.of("c2", "Conv", List.of("a", "w"), List.of("b")),
                Node.of("c3", "Conv", List.of("b", "w"), List.of("y")));
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2, 4, 4)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1, 2, 4, 4)), inits, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    /** The standard Conv, recording each output array it returns. */
    private static KernelRegistry recordingConv(List<float[]> made) {
        KernelRegistry spy = new KernelRegistry();
        spy.register("Conv", (node, opset) -> {
            OpKernel conv = KernelRegistry.standard().find("Conv").create(node, opset);
            return (in, ctx) -> {
                Tensor[] out = conv.compute(in, ctx);
                made.add(out[0].floats());
                return out;
            };
        });
        return spy;
    }

    @Test
    void deadIntermediatesServeLaterNodesAndLaterRunsButGraphOutputsNever() {
        List<float[]> made = new ArrayList<>();
        Engine e = new Engine(convChain(), recordingConv(made), ExecContext.singleThreaded());
        Map<String, Tensor> feeds = smallFeed(5);
        Tensor y1 = e.run(feeds).get("y");
        float[] y1Copy = y1.floats().clone();
        Tensor y2 = e.run(feeds).get("y");
        assertEquals(6, made.size());
        assertSame(made.get(0), made.get(2), "the third Conv reuses the first one's dead output");
        assertSame(made.get(1), made.get(3), "the next run starts from the arrays the last one freed");
        for (float[] a : made.subList(3, 6)) {
            assertNotSame(y1.floats(), a, "run 1's output never comes back");
        }
        assertArrayEquals(y1Copy, y1.floats());
        assertArrayEquals(y1Copy, y2.floats());
        // By hand: W = [[0.5, -1], [2, 0.25]] applied three times per pixel, W^3 = [[-2.375, 1.5625], [-3.125, -1.984375]].
        float[] x = feeds.get("x").floats();
        assertEquals(-2.375f * x[0] + 1.5625f * x[16], y1.floats()[0], 1e-5f);
        assertEquals(-3.125f * x[5] - 1.984375f * x[21], y1.floats()[21], 1e-5f);
    }

    @Test
    void anOutputFedBackAsTheNextInputIsNeitherOverwrittenNorRecycled() {
        Engine e = new Engine(convChain(), KernelRegistry.standard(), ExecContext.singleThreaded());
        Tensor y = e.run(smallFeed(4)).get("y");
        for (int run = 0; run < 3; run++) {
            float[] before = y.floats().clone();
            Map<String, float[]> expected = tapped(e, Map.of("x", y));
            Tensor next = e.run(Map.of("x", y)).get("y");
            assertArrayEquals(before, y.floats(), "the feed is untouched");
            assertSameBits(expected, Map.of("y", next));
            y = next;
        }
    }

    @Test
    void tappedRunsAndKernelsOutsideARunGetFreshZeroedArrays() {
        List<float[]> made = new ArrayList<>();
        Engine e = new Engine(convChain(), recordingConv(made), ExecContext.singleThreaded());
        e.run(smallFeed(5), (n, t) -> { }, CancellationToken.none());
        assertNotSame(made.get(0), made.get(2));
        float[] outside = OutputArrays.floats(64);
        assertArrayEquals(new float[64], outside);
    }

    @Test
    void aCancelledRunLeavesNoPoolActiveAndLaterRunsAreCorrect() {
        List<float[]> made = new ArrayList<>();
        CancellationToken token = new CancellationToken();
        KernelRegistry registry = new KernelRegistry();
        registry.register("Conv", (node, opset) -> {
            OpKernel conv = KernelRegistry.standard().find("Conv").create(node, opset);
            return (in, ctx) -> {
                Tensor[] out = conv.compute(in, ctx);
                made.add(out[0].floats());
                if (made.size() == 2) {
                    token.cancel(); // the run stops before the third Conv, holding arrays of the pool
                }
                return out;
            };
        });
        Engine e = new Engine(convChain(), registry, ExecContext.singleThreaded());
        Map<String, float[]> expected = tapped(new Engine(convChain(), KernelRegistry.standard(),
                ExecContext.singleThreaded()), smallFeed(2));
        assertThrows(CancellationToken.CancelledException.class,
                () -> e.run(smallFeed(9), ActivationTap.NONE, token));
        assertArrayEquals(new float[16], OutputArrays.floats(16), "no pool may stay active on this thread");
        assertSameBits(expected, e.run(smallFeed(2)));
        assertSameBits(expected, e.run(smallFeed(2)));
    }

    /**
     * Equal-length intermediates, so each node's output comes from the pool holding an earlier node's values:
     * x [1,2,4,4] -> Transpose -> BatchNormalization -> Softmax -> Pad (last axis, 1 each side, value 0.5) -> Slice
     * back to width 4 from column 2 -> Concat with itself on axis 1 -> GlobalMaxPool and GlobalAveragePool.
     */
    private static Model dataMovementModel() {
        Map<String, Tensor> inits = new LinkedHashMap<>();
        inits.put("scale", Tensor.ofFloats(Shape.of(2), 1.5f, -0.5f));
        inits.put("bias", Tensor.ofFloats(Shape.of(2), 0.25f, 1f));
        inits.put("mean", Tensor.ofFloats(Shape.of(2), 0.1f, -0.2f));
        inits.put("var", Tensor.ofFloats(Shape.of(2), 2f, 0.5f));
        inits.put("pads", Tensor.ofLongs(Shape.of(8), 0, 0, 0, 1, 0, 0, 0, 1));
        inits.put("padValue", Tensor.scalar(0.5f));
        inits.put("starts", Tensor.ofLongs(Shape.of(1), 2));
        inits.put("ends", Tensor.ofLongs(Shape.of(1), 6));
        inits.put("axes", Tensor.ofLongs(Shape.of(1), 3));
        List<Node> nodes = List.of(
                Node.of("t", "Transpose", List.of("x"), List.of("t"), Attribute.ofInts("perm", 0, 1, 3, 2)),
                Node.of("bn", "BatchNormalization", List.of("t", "scale", "bias", "mean", "var"), List.of("b")),
                Node.of("sm", "Softmax", List.of("b"), List.of("s"), Attribute.ofInt("axis", -1)),
                Node.of("pad", "Pad", List.of("s", "pads", "padValue"), List.of("p")),
                Node.of("slice", "Slice", List.of("p", "starts", "ends", "axes"), List.of("q")),
                Node.of("cat", "Concat", List.of("q", "q"), List.of("c"), Attribute.ofInt("axis", 1)),
                Node.of("gmax", "GlobalMaxPool", List.of("c"), List.of("gm")),
                Node.of("gavg", "GlobalAveragePool", List.of("c"), List.of("ga")));
        List<ValueInfo> outs = List.of(ValueInfo.of("c", DType.FLOAT32, 1, 4, 4, 4),
                ValueInfo.of("gm", DType.FLOAT32, 1, 4, 1, 1), ValueInfo.of("ga", DType.FLOAT32, 1, 4, 1, 1));
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2, 4, 4)), outs, inits, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    @Test
    void dataMovementAndNormalizationKernelsWriteEveryElementOfARecycledArray() {
        Engine e = new Engine(dataMovementModel(), KernelRegistry.standard(), ExecContext.singleThreaded());
        for (int run = 0; run < 4; run++) {
            Map<String, Tensor> feeds = smallFeed(20 + run);
            Map<String, float[]> expected = tapped(e, feeds);
            assertSameBits(expected, e.run(feeds));
        }
        // By hand: each row of c is three of the four softmax values of a row (which sum to 1), then the pad value.
        float[] c = e.run(smallFeed(3)).get("c").floats();
        float rowSum = c[0] + c[1] + c[2];
        assertTrue(rowSum > 0 && rowSum < 1, "three of four softmax values");
        assertEquals(0.5f, c[3]);
    }

    @Test
    void mobileNetV2RunsAreBitIdenticalRunAfterRunOnTwoThreadsAndToATappedRun() {
        Model m = MobileNetV2Model.build(42);
        Engine reference = new Engine(m, KernelRegistry.standard(), ExecContext.singleThreaded());
        Engine e = new Engine(m, KernelRegistry.standard(), ExecContext.withThreads(2));
        Shape shape = Shape.of(1, 3, 224, 224);
        Map<String, float[]> expectedA = tapped(reference, feed("input", shape, 1));
        Map<String, float[]> expectedB = tapped(reference, feed("input", shape, 2));
        Map<String, Tensor> firstA = e.run(feed("input", shape, 1));
        for (int run = 0; run < 4; run++) {
            assertSameBits(run % 2 == 0 ? expectedB : expectedA, e.run(feed("input", shape, 2 - run % 2)));
        }
        assertSameBits(expectedA, firstA);
    }

    @Test
    void concurrentRunsOnOneEngineGiveEachCallerItsOwnCorrectResults() throws Exception {
        Engine e = new Engine(branchyModel(), KernelRegistry.standard(), ExecContext.withThreads(2));
        List<Map<String, float[]>> expected = new ArrayList<>();
        for (int seed = 0; seed < 4; seed++) {
            expected.add(tapped(e, smallFeed(seed)));
        }
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int caller = 0; caller < 2; caller++) {
                int first = caller;
                results.add(callers.submit(() -> {
                    List<Map<String, Tensor>> held = new ArrayList<>();
                    for (int run = 0; run < 300; run++) {
                        int seed = (first + run) % 4;
                        Map<String, Tensor> out = e.run(smallFeed(seed));
                        assertSameBits(expected.get(seed), out);
                        held.add(out);
                    }
                    for (int run = 0; run < held.size(); run++) {
                        assertSameBits(expected.get((first + run) % 4), held.get(run));
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
