package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.ir.IrFixtures.model;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class BatchNormFoldingTest {
    private static final DType F = DType.FLOAT32;
    private static final float EPS = 1e-3f;

    // 2 input channels, 3 output channels, 3x3 kernel over a 4x4 image with pads 1.
    private static final float[] GAMMA = {0.5f, -1.25f, 2f};
    private static final float[] BETA = {0.1f, 0f, -0.3f};
    private static final float[] MEAN = {0.2f, -0.4f, 1.5f};
    private static final float[] VAR = {0.25f, 4f, 0.01f};

    private static float[] ramp(int n, float scale, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.7 + offset) * scale;
        }
        return v;
    }

    private static IrFixtures bnParams(IrFixtures f) {
        return f.init("gamma", Tensor.ofFloats(Shape.of(3), GAMMA)).init("beta", Tensor.ofFloats(Shape.of(3), BETA))
                .init("mean", Tensor.ofFloats(Shape.of(3), MEAN)).init("var", Tensor.ofFloats(Shape.of(3), VAR));
    }

    private static Node bn(String in, String out) {
        return Node.of("bn", "BatchNormalization", List.of(in, "gamma", "beta", "mean", "var"), List.of(out),
                Attribute.ofFloat("epsilon", EPS));
    }

    private static IrFixtures convBn(boolean withBias) {
        IrFixtures f = model().input("x", F, "N", 2, 4, 4).output("y", F, "N", 3, 4, 4)
                .init("W", Tensor.ofFloats(Shape.of(3, 2, 3, 3), ramp(54, 0.8f, 0.3f)));
        if (withBias) {
            f.init("B", Tensor.ofFloats(Shape.of(3), 0.3f, -0.2f, 0.05f));
        }
        return bnParams(f).node(Node.of("conv", "Conv", withBias ? List.of("x", "W", "B") : List.of("x", "W"),
                        List.of("c"), Attribute.ofInts("pads", 1, 1, 1, 1)))
                .node(bn("c", "y"));
    }

    /** Naive NCHW conv, stride 1, zero pad 1, 3x3, batch 1, in double. */
    private static double[] conv(float[] x, int cin, int h, int w, float[] wt, float[] bias, int cout) {
        double[] out = new double[cout * h * w];
        for (int o = 0; o < cout; o++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = bias == null ? 0 : bias[o];
                    for (int c = 0; c < cin; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = y + ky - 1;
                                int ix = xx + kx - 1;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    acc += x[(c * h + iy) * w + ix] * wt[((o * cin + c) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                    }
                    out[(o * h + y) * w + xx] = acc;
                }
            }
        }
        return out;
    }

    /** BatchNormalization by its ONNX formula: (x - mean) / sqrt(var + eps) * gamma + beta, channel axis 1. */
    private static double[] batchNorm(double[] x, int channels) {
        int per = x.length / channels;
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i / per;
            r[i] = (x[i] - MEAN[c]) / Math.sqrt(VAR[c] + (double) EPS) * GAMMA[c] + BETA[c];
        }
        return r;
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    private static void checkConvNumerics(boolean withBias) {
        Model original = convBn(withBias).build();
        FoldReport report = BatchNormFolding.foldWithReport(original);
        Graph g = report.model().graph();
        assertEquals(1, g.nodes().size());
        Node conv = g.nodes().get(0);
        assertEquals("conv", conv.name());
        assertEquals(List.of("y"), conv.outputs());
        assertEquals(List.of(new FoldReport.Folded("conv", "Conv", "bn", "y")), report.folded());

        float[] x = ramp(2 * 16, 1.5f, 1.1f);
        float[] w = original.graph().initializers().get("W").floats();
        float[] b = withBias ? original.graph().initializers().get("B").floats() : null;
        double[] expected = batchNorm(conv(x, 2, 4, 4, w, b, 3), 3);
        Tensor fw = g.initializers().get(conv.input(1));
        Tensor fb = g.initializers().get(conv.input(2));
        assertEquals(Shape.of(3, 2, 3, 3), fw.shape());
        assertEquals(Shape.of(3), fb.shape());
        assertClose(expected, conv(x, 2, 4, 4, fw.floats(), fb.floats(), 3));
    }

    @Test
    void foldedConvWithBiasMatchesConvThenBatchNorm() {
        checkConvNumerics(true);
    }

    @Test
    void foldedConvWithoutBiasGainsOneAndMatches() {
        checkConvNumerics(false);
    }

    @Test
    void originalModelIsUntouchedAndOldInitializersAreDropped() {
        Model original = convBn(true).build();
        float[] before = original.graph().initializers().get("W").floats().clone();
        Model folded = BatchNormFolding.fold(original);
        assertEquals(2, original.graph().nodes().size());
        assertEquals("BatchNormalization", original.graph().nodes().get(1).opType());
        assertTrue(java.util.Arrays.equals(before, original.graph().initializers().get("W").floats()));
        assertEquals(List.of("W_bnfolded", "B_bnfolded"), List.copyOf(folded.graph().initializers().keySet()));
        assertEquals(List.of("x", "W_bnfolded", "B_bnfolded"), folded.graph().nodes().get(0).inputs());
    }

    @Test
    void foldedModelInfersTheSameOutputShape() {
        Model folded = BatchNormFolding.fold(convBn(true).build());
        assertEquals("float32[N,3,4,4]", IrFixtures.typeOf(ShapeInference.infer(folded), "y"));
    }

    @Test
    void convOutputThatIsAGraphOutputIsNotFolded() {
        Model m = convBn(true).output("c", F, "N", 3, 4, 4).build();
        FoldReport r = BatchNormFolding.foldWithReport(m);
        assertEquals(m.graph().nodes(), r.model().graph().nodes());
        assertTrue(r.folded().isEmpty());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).reason().contains("graph output"), r.skipped().get(0).reason());
    }

    @Test
    void convOutputReadElsewhereIsNotFolded() {
        Model m = convBn(true).node("relu", "Relu", List.of("c"), List.of("r")).build();
        FoldReport r = BatchNormFolding.foldWithReport(m);
        assertEquals(3, r.model().graph().nodes().size());
        assertTrue(r.skipped().get(0).reason().contains("another node"), r.skipped().get(0).reason());
        assertTrue(r.model().graph().initializers().containsKey("W"));
    }

    @Test
    void batchNormParametersThatAreNotInitializersBlockTheFold() {
        IrFixtures f = model().input("x", F, 1, 2, 4, 4).input("mean", F, 3)
                .init("W", Tensor.ofFloats(Shape.of(3, 2, 3, 3), ramp(54, 1, 0)))
                .init("gamma", Tensor.ofFloats(Shape.of(3), GAMMA)).init("beta", Tensor.ofFloats(Shape.of(3), BETA))
                .init("var", Tensor.ofFloats(Shape.of(3), VAR))
                .node("conv", "Conv", List.of("x", "W"), List.of("c")).node(bn("c", "y"));
        FoldReport r = BatchNormFolding.foldWithReport(f.build());
        assertEquals(2, r.model().graph().nodes().size());
        assertTrue(r.skipped().get(0).reason().contains("'mean'"), r.skipped().get(0).reason());
    }

    @Test
    void newInitializerNamesAvoidCollisions() {
        Model m = convBn(true).init("W_bnfolded", Tensor.scalar(1f)).build();
        Model folded = BatchNormFolding.fold(m);
        assertEquals("W_bnfolded_2", folded.graph().nodes().get(0).input(1));
        assertNotNull(folded.graph().initializers().get("W_bnfolded"));
    }

    /** Naive Gemm: alpha * x * (transB ? W^T : W) + beta * bias, one row. */
    private static double[] gemm(float[] x, float[] w, boolean transB, int k, int m, float[] bias, double beta) {
        double[] r = new double[m];
        for (int j = 0; j < m; j++) {
            double acc = 0;
            for (int i = 0; i < k; i++) {
                acc += x[i] * (double) w[transB ? j * k + i : i * m + j];
            }
            r[j] = acc + (bias == null ? 0 : beta * bias[j]);
        }
        return r;
    }

    private static void checkGemm(boolean transB) {
        float[] w = ramp(12, 0.9f, 0.2f);
        float[] bias = {0.4f, -0.6f, 0.2f};
        Model m = bnParams(model().input("x", F, "N", 4).output("y", F, "N", 3)
                .init("W", Tensor.ofFloats(transB ? Shape.of(3, 4) : Shape.of(4, 3), w))
                .init("C", Tensor.ofFloats(Shape.of(3), bias)))
                .node("fc", "Gemm", List.of("x", "W", "C"), List.of("g"), Attribute.ofInt("transB", transB ? 1 : 0),
                        Attribute.ofFloat("beta", 0.5f))
                .node(bn("g", "y")).build();
        Graph g = BatchNormFolding.fold(m).graph();
        assertEquals(1, g.nodes().size());
        Node fc = g.nodes().get(0);
        assertEquals(1f, fc.attrFloat("beta", 0));
        float[] x = ramp(4, 2f, 0.9f);
        double[] expected = batchNorm(gemm(x, w, transB, 4, 3, bias, 0.5), 3);
        double[] actual = gemm(x, g.initializers().get(fc.input(1)).floats(), transB, 4, 3,
                g.initializers().get(fc.input(2)).floats(), 1.0);
        assertClose(expected, actual);
    }

    @Test
    void foldedGemmWithTransposedWeightMatches() {
        checkGemm(true);
    }

    @Test
    void foldedGemmWithPlainWeightMatches() {
        checkGemm(false);
    }

    @Test
    void modelWithoutPairsComesBackEquivalent() {
        Model m = model().input("x", F, 1, 2).node("relu", "Relu", List.of("x"), List.of("y")).build();
        FoldReport r = BatchNormFolding.foldWithReport(m);
        assertEquals(m.graph().nodes(), r.model().graph().nodes());
        assertTrue(r.folded().isEmpty() && r.skipped().isEmpty());
    }
}
