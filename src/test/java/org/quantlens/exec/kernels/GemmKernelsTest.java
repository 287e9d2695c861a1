package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.exec.kernels.KernelTestSupport.random;
import static org.quantlens.exec.kernels.KernelTestSupport.run;
import static org.quantlens.exec.kernels.KernelTestSupport.run1;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class GemmKernelsTest {
    private static final Tensor A = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    private static final Tensor B = Tensor.ofFloats(Shape.of(3, 2), 1, 0, 0, 1, 1, 1);
    /** A * B by hand: [1+3, 2+3; 4+6, 5+6]. */
    private static final float[] AB = {4, 5, 10, 11};

    @Test
    void gemmMultipliesAndScalesByAlphaAndBeta() {
        Tensor c = Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4);
        Tensor y = run1("Gemm", new Tensor[] {A, B, c}, Attribute.ofFloat("alpha", 2f), Attribute.ofFloat("beta", 0.5f));
        assertArrayEquals(new float[] {8.5f, 11f, 21.5f, 24f}, y.floats());
    }

    @Test
    void gemmTransposesEitherOperand() {
        Tensor at = Tensor.ofFloats(Shape.of(3, 2), 1, 4, 2, 5, 3, 6);
        Tensor bt = Tensor.ofFloats(Shape.of(2, 3), 1, 0, 1, 0, 1, 1);
        Tensor y = run1("Gemm", new Tensor[] {at, bt}, Attribute.ofInt("transA", 1), Attribute.ofInt("transB", 1));
        assertArrayEquals(AB, y.floats());
        assertEquals(Shape.of(2, 2), y.shape());
    }

    @Test
    void gemmKernelReusedWithAnotherTransposedWeightUsesTheNewWeight() {
        Node node = Node.of("fc", "Gemm", List.of("a", "b"), List.of("y"), Attribute.ofInt("transB", 1));
        OpKernel kernel = KernelRegistry.standard().find("Gemm").create(node, 13);
        Tensor bt = Tensor.ofFloats(Shape.of(2, 3), 1, 0, 1, 0, 1, 1);
        Tensor doubled = Tensor.ofFloats(Shape.of(2, 3), 2, 0, 2, 0, 2, 2);
        ExecContext ctx = ExecContext.singleThreaded();
        assertArrayEquals(AB, kernel.compute(new Tensor[] {A, bt}, ctx)[0].floats());
        assertArrayEquals(new float[] {8, 10, 20, 22}, kernel.compute(new Tensor[] {A, doubled}, ctx)[0].floats());
        assertArrayEquals(AB, kernel.compute(new Tensor[] {A, bt}, ctx)[0].floats());
    }

    @Test
    void gemmBroadcastsEveryAllowedBiasShape() {
        float[] scalar = run1("Gemm", new Tensor[] {A, B, Tensor.scalar(1)}).floats();
        assertArrayEquals(new float[] {5, 6, 11, 12}, scalar);
        float[] one = run1("Gemm", new Tensor[] {A, B, Tensor.ofFloats(Shape.of(1), 1)}).floats();
        assertArrayEquals(new float[] {5, 6, 11, 12}, one);
        float[] row = run1("Gemm", new Tensor[] {A, B, Tensor.ofFloats(Shape.of(2), 1, 2)}).floats();
        assertArrayEquals(new float[] {5, 7, 11, 13}, row);
        float[] row2 = run1("Gemm", new Tensor[] {A, B, Tensor.ofFloats(Shape.of(1, 2), 1, 2)}).floats();
        assertArrayEquals(new float[] {5, 7, 11, 13}, row2);
        float[] column = run1("Gemm", new Tensor[] {A, B, Tensor.ofFloats(Shape.of(2, 1), 1, 2)}).floats();
        assertArrayEquals(new float[] {5, 6, 12, 13}, column);
        assertThrows(KernelException.class, () -> run1("Gemm", new Tensor[] {A, B, Tensor.ofFloats(Shape.of(3), 1, 2, 3)}));
        assertThrows(KernelException.class, () -> run1("Gemm", new Tensor[] {A, A}));
        assertThrows(KernelException.class, () -> run1("Gemm", new Tensor[] {A, B}, Attribute.ofInt("transA", 2)));
    }

    @Test
    void matMulTreatsOneDimensionalOperandsAsRowAndColumnVectors() {
        Tensor v = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
        Tensor dot = run1("MatMul", new Tensor[] {v, v});
        assertEquals(Shape.scalar(), dot.shape());
        assertEquals(14f, dot.floats()[0]);
        Tensor left = run1("MatMul", new Tensor[] {v, B});
        assertEquals(Shape.of(2), left.shape());
        assertArrayEquals(new float[] {4, 5}, left.floats());
        Tensor right = run1("MatMul", new Tensor[] {A, v});
        assertEquals(Shape.of(2), right.shape());
        assertArrayEquals(new float[] {14, 32}, right.floats());
    }

    @Test
    void matMulBroadcastsBatchAxesLikeNumpy() {
        Random rnd = new Random(9);
        Tensor a = random(rnd, 2, 1, 3, 4);
        Tensor b = random(rnd, 5, 4, 6);
        Tensor y = run1("MatMul", new Tensor[] {a, b});
        assertEquals(Shape.of(2, 5, 3, 6), y.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 6; c++) {
                        double s = 0;
                        for (int p = 0; p < 4; p++) {
                            s += (double) a.floats()[(i * 3 + r) * 4 + p] * b.floats()[(j * 4 + p) * 6 + c];
                        }
                        assertEquals(s, y.floats()[((i * 5 + j) * 3 + r) * 6 + c], 1e-5);
                    }
                }
            }
        }
        assertThrows(KernelException.class, () -> run1("MatMul", new Tensor[] {random(rnd, 2, 3, 4), random(rnd, 3, 4, 5)}));
        assertThrows(KernelException.class, () -> run1("MatMul", new Tensor[] {random(rnd, 3, 4), random(rnd, 5, 4)}));
    }

    @Test
    void largeProductsAreBitIdenticalForOneAndTwoThreads() {
        Random rnd = new Random(4);
        Tensor a = random(rnd, 70, 300);
        Tensor b = random(rnd, 300, 520);
        Tensor one = run("MatMul", 1, ExecContext.withThreads(1), new Tensor[] {a, b})[0];
        Tensor two = run("MatMul", 1, ExecContext.withThreads(2), new Tensor[] {a, b})[0];
        assertTrue(one.contentEquals(two));
        Tensor c = random(rnd, 520);
        Tensor g1 = run("Gemm", 1, ExecContext.withThreads(1), new Tensor[] {a, b, c})[0];
        Tensor g2 = run("Gemm", 1, ExecContext.withThreads(2), new Tensor[] {a, b, c})[0];
        assertEquals(Shape.of(70, 520), g1.shape());
        assertTrue(g1.contentEquals(g2));
    }

    /**
     * Every Gemm shape class (the reference models' fully connected layers, narrow N, column-split N >= 512, a
     * single row, K = 0), every bias shape, unit and non-unit alpha/beta: bit-identical, on one and two threads, to
     * the ONNX formula {@code alpha * (A * B) + beta * C} with the product as {@link SgemmReference}'s chain from 0.
     */
    @Test
    void gemmIsBitIdenticalToTheScalarReferenceOnOneAndTwoThreads() {
        Random rnd = new Random(11);
        int[][] mnk = {{64, 128, 64}, {64, 64, 128}, {64, 10, 64}, {64, 64, 512}, {70, 520, 300}, {1, 600, 130},
            {9, 33, 17}, {64, 128, 0}};
        float[][] alphaBeta = {{1f, 1f}, {0.5f, 2f}, {1f, 0.25f}};
        for (int[] s : mnk) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            Tensor a = random(rnd, m, k);
            Tensor bt = random(rnd, n, k);
            int[][] biasShapes = {{n}, {1, n}, {m, 1}, {m, n}, {}};
            for (int[] cs : biasShapes) {
                Tensor c = random(rnd, cs);
                for (float[] ab : alphaBeta) {
                    float[] expected = referenceGemm(a.floats(), bt.floats(), c, m, n, k, ab[0], ab[1]);
                    for (int threads = 1; threads <= 2; threads++) {
                        Tensor y = run("Gemm", 1, ExecContext.withThreads(threads), new Tensor[] {a, bt, c},
                                Attribute.ofInt("transB", 1), Attribute.ofFloat("alpha", ab[0]),
                                Attribute.ofFloat("beta", ab[1]))[0];
                        assertEquals(Shape.of(m, n), y.shape());
                        assertArrayEquals(expected, y.floats(), 0f, m + "x" + n + "x" + k + " C" + c.shape()
                                + " alpha " + ab[0] + " beta " + ab[1] + " threads " + threads);
                    }
                }
            }
            Tensor noBias = run("Gemm", 1, ExecContext.withThreads(2), new Tensor[] {a, bt},
                    Attribute.ofInt("transB", 1))[0];
            assertArrayEquals(referenceGemm(a.floats(), bt.floats(), null, m, n, k, 1f, 1f), noBias.floats(), 0f);
        }
    }

    /**
     * The fused Gemm + Relu and Gemm + Clip kernels (the engine's clamp fusion) against running Gemm and then the
     * standard Relu or Clip kernel: bit-identical, NaN rows included, on one and two threads, for row- and
     * column-split products.
     */
    @Test
    void gemmFusedWithReluOrClipEqualsGemmThenTheActivationBitForBit() {
        Random rnd = new Random(12);
        int[][] mnk = {{64, 128, 64}, {64, 10, 64}, {70, 520, 300}, {3, 5, 7}};
        for (int[] s : mnk) {
            Tensor a = random(rnd, s[0], s[2]);
            a.floats()[0] = Float.NaN; // a NaN row: NaN must survive the clamp as it does Relu
            Tensor bt = random(rnd, s[1], s[2]);
            Tensor c = random(rnd, s[1]);
            Node gemmNode = Node.of("fc", "Gemm", List.of("a", "b", "c"), List.of("y"), Attribute.ofInt("transB", 1));
            for (int threads = 1; threads <= 2; threads++) {
                ExecContext ctx = ExecContext.withThreads(threads);
                Tensor plain = KernelRegistry.standard().find("Gemm").create(gemmNode, 13)
                        .compute(new Tensor[] {a, bt, c}, ctx)[0];
                Tensor relu = run("Relu", 1, ctx, new Tensor[] {plain})[0];
                Tensor fusedRelu = KernelRegistry.standard().findClampFusion("Gemm")
                        .create(gemmNode, 13, 0f, Float.POSITIVE_INFINITY).compute(new Tensor[] {a, bt, c}, ctx)[0];
                assertTrue(relu.contentEquals(fusedRelu), "Relu " + s[0] + "x" + s[1] + "x" + s[2]);
                Tensor clip = run("Clip", 1, ctx, new Tensor[] {plain, Tensor.scalar(-0.5f), Tensor.scalar(0.75f)})[0];
                Tensor fusedClip = KernelRegistry.standard().findClampFusion("Gemm")
                        .create(gemmNode, 13, -0.5f, 0.75f).compute(new Tensor[] {a, bt, c}, ctx)[0];
                assertTrue(clip.contentEquals(fusedClip), "Clip " + s[0] + "x" + s[1] + "x" + s[2]);
                assertTrue(Float.isNaN(fusedRelu.floats()[0]));
            }
        }
    }

    /** The ONNX formula on the scalar reference product; {@code bt} is B transposed ([N, K]). */
    private static float[] referenceGemm(float[] a, float[] bt, Tensor c, int m, int n, int k, float alpha,
                                         float beta) {
        float[] b = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[p * n + j] = bt[j * k + p];
            }
        }
        float[] y = new float[m * n];
        SgemmReference.multiplyAdd(m, n, k, a, 0, k, b, 0, n, y, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float bias = 0f;
                if (c != null) {
                    int rows = c.rank() == 2 ? c.shape().dim(0) : 1;
                    int cols = c.rank() >= 1 ? c.shape().dim(-1) : 1;
                    bias = c.floats()[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
                }
                y[i * n + j] = c == null ? alpha * y[i * n + j] : alpha * y[i * n + j] + beta * bias;
            }
        }
        return y;
    }
}
