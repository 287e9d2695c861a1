package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.kernels.ActivationKernels;
import org.quantlens.exec.kernels.ConvKernel;
import org.quantlens.exec.kernels.ElementwiseKernels;
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
 * Conv followed by Relu or Clip runs as one fused kernel when no tap watches and the Conv output has that single
 * reader; the results are the bits of the unfused run, and a tap still sees the pre-activation tensor.
 */
class EngineClampFusionTest {
    private static final int C = 3;
    private static final int H = 5;

    /** Conv 3x3 (pad 1) of x into "c", then {@code activation} nodes reading "c"; outputs as given. */
    private static Model model(long opset, List<Node> activations, Map<String, Tensor> extraInits, String... outputs) {
        Random r = new Random(7);
        float[] w = new float[C * C * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        Map<String, Tensor> inits = new LinkedHashMap<>(extraInits);
        inits.put("w", Tensor.ofFloats(Shape.of(C, C, 3, 3), w));
        inits.put("b", Tensor.ofFloats(Shape.of(C), 0.5f, -0.5f, 0f));
        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of("conv", "Conv", List.of("x", "w", "b"), List.of("c"),
                Attribute.ofInts("pads", 1, 1, 1, 1)));
        nodes.addAll(activations);
        List<ValueInfo> outs = new ArrayList<>();
        for (String o : outputs) {
            outs.add(ValueInfo.of(o, DType.FLOAT32, 1, C, H, H));
        }
        Graph g = new Graph("g", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, C, H, H)), outs, inits, Map.of());
        return new Model(8, Map.of("", opset), "test", "", g, Map.of());
    }

    private static Map<String, Tensor> feed() {
        Random r = new Random(11);
        float[] x = new float[C * H * H];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 2;
        }
        x[4] = Float.NaN;
        return Map.of("x", Tensor.ofFloats(Shape.of(1, C, H, H), x));
    }

    /** The standard Conv, activation and elementwise kernels, with a Conv clamp fusion that counts its uses. */
    private static KernelRegistry countingRegistry(AtomicInteger fusions) {
        KernelRegistry r = new KernelRegistry();
        r.register("Conv", (n, opset) -> ConvKernel.createWithClamp(n, opset, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY));
        r.registerClampFusion("Conv", (n, opset, lo, hi) -> {
            fusions.incrementAndGet();
            return ConvKernel.createWithClamp(n, opset, lo, hi);
        });
        ActivationKernels.register(r);
        ElementwiseKernels.register(r);
        return r;
    }

    private static Map<String, Tensor> tapped(Engine e, List<String> seen) {
        return e.run(feed(), (name, t) -> seen.add(name), CancellationToken.none());
    }

    private static void assertFusedEqualsUnfused(Model m, String output, int expectedFusions) {
        AtomicInteger fusions = new AtomicInteger();
        Engine fused = new Engine(m, countingRegistry(fusions), ExecContext.withThreads(2));
        assertEquals(expectedFusions, fusions.get());
        List<String> seen = new ArrayList<>();
        float[] reference = tapped(fused, seen).get(output).floats();
        assertTrue(seen.contains("c"), "the tap sees the pre-activation Conv output");
        assertArrayEquals(reference, fused.run(feed()).get(output).floats());
        assertArrayEquals(reference, Engine.load(m).run(feed()).get(output).floats());
    }

    @Test
    void convThenReluFusesAndGivesTheSameBits() {
        Model m = model(13, List.of(Node.of("relu", "Relu", List.of("c"), List.of("y"))), Map.of(), "y");
        assertFusedEqualsUnfused(m, "y", 1);
        float[] y = Engine.load(m).run(feed()).get("y").floats();
        for (float v : y) {
            assertTrue(Float.isNaN(v) || v >= 0, "relu output " + v);
        }
    }

    @Test
    void convThenClipWithInitializerBoundsFuses() {
        Map<String, Tensor> bounds = Map.of("lo", Tensor.scalar(-1f), "hi", Tensor.scalar(1.5f));
        Model m = model(13, List.of(Node.of("clip", "Clip", List.of("c", "lo", "hi"), List.of("y"))), bounds, "y");
        assertFusedEqualsUnfused(m, "y", 1);
    }

    @Test
    void convThenClipWithOneBoundOrAttributesFuses() {
        Model upper = model(13, List.of(Node.of("clip", "Clip", List.of("c", "", "hi"), List.of("y"))),
                Map.of("hi", Tensor.scalar(0.25f)), "y");
        assertFusedEqualsUnfused(upper, "y", 1);
        Model old = model(6, List.of(Node.of("clip", "Clip", List.of("c"), List.of("y"),
                Attribute.ofFloat("min", 0f), Attribute.ofFloat("max", 6f))), Map.of(), "y");
        assertFusedEqualsUnfused(old, "y", 1);
    }

    @Test
    void convOutputWithAnotherReaderOrAsGraphOutputIsNotFused() {
        Model twoReaders = model(13, List.of(Node.of("relu", "Relu", List.of("c"), List.of("y")),
                Node.of("add", "Add", List.of("c", "y"), List.of("z"))), Map.of(), "z");
        assertFusedEqualsUnfused(twoReaders, "z", 0);
        Model exposed = model(13, List.of(Node.of("relu", "Relu", List.of("c"), List.of("y"))), Map.of(), "y", "c");
        assertFusedEqualsUnfused(exposed, "c", 0);
        assertFusedEqualsUnfused(exposed, "y", 0);
    }

    @Test
    void clipWithBoundsComputedAtRunTimeIsNotFused() {
        Model m = model(13, List.of(Node.of("neg", "Sub", List.of("lo0", "lo0"), List.of("lo")),
                Node.of("clip", "Clip", List.of("c", "lo", ""), List.of("y"))), Map.of("lo0", Tensor.scalar(1f)), "y");
        AtomicInteger fusions = new AtomicInteger();
        KernelRegistry r = countingRegistry(fusions);
        Engine e = new Engine(m, r, ExecContext.singleThreaded());
        assertEquals(0, fusions.get());
        List<String> seen = new ArrayList<>();
        assertArrayEquals(tapped(e, seen).get("y").floats(), e.run(feed()).get("y").floats());
    }
}
