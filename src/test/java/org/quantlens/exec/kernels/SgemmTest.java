package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

class SgemmTest {
    @Test
    void referenceComputesTheTextbookProductOnASmallCase() {
        // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50], added to C = [1 1; 1 1]
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = {1, 1, 1, 1};
        SgemmReference.multiplyAdd(2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2);
        assertArrayEquals(new float[] {20, 23, 44, 51}, c);
    }

    @Test
    void vectorKernelIsBitExactWithScalarReferenceOnRaggedPanels() {
        Random rnd = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 32, 9}, {7, 33, 300}, {9, 70, 513}, {16, 17, 1}, {5, 100, 0},
            {6, 50, 20}, {5, 24, 300}, {4, 8, 3}, {13, 49, 600}, {8, 40, 9}, {32, 64, 144}, {14, 49, 30},
            {160, 49, 960}, {20, 1, 300}, {8, 17, 5}, {11, 65, 40},
            // Twelve-row blocks followed by every remainder (6, 4+4, 6+4, 1s), wide and narrow (<= 4 vectors).
            {12, 40, 16}, {24, 100, 30}, {26, 70, 9}, {30, 33, 300}, {32, 64, 20}, {34, 49, 40}, {29, 7, 513},
            {96, 256, 16}, {37, 200, 24}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            // Panels inside larger arrays: offsets and leading dimensions wider than the panel.
            int lda = k + 3;
            int ldb = n + 5;
            int ldc = n + 2;
            float[] a = ConvReference.random(rnd, 2 + m * lda);
            float[] b = ConvReference.random(rnd, 1 + k * ldb);
            float[] c = ConvReference.random(rnd, 4 + m * ldc);
            float[] expected = c.clone();
            SgemmReference.multiplyAdd(m, n, k, a, 2, lda, b, 1, ldb, expected, 4, ldc);
            Sgemm.multiplyAdd(m, n, k, a, 2, lda, b, 1, ldb, c, 4, ldc);
            assertArrayEquals(expected, c, "m=" + m + " n=" + n + " k=" + k);
        }
    }

    @Test
    void rowInitialValuesGiveTheSameBitsAsFillingCFirst() {
        // C = rowInit + A*B must equal "fill each row of C with its value, then C += A*B" bit for bit, also when
        // K spans several panels (only the first starts from the row value) and C holds garbage beforehand.
        Random rnd = new Random(17);
        int[][] shapes = {{1, 1, 1}, {8, 33, 5}, {32, 64, 144}, {14, 49, 600}, {7, 100, 0}, {20, 17, 257},
            {36, 49, 300}, {29, 130, 260}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int ldc = n + 3;
            float[] a = ConvReference.random(rnd, m * k);
            float[] b = ConvReference.random(rnd, k * n);
            float[] init = ConvReference.random(rnd, m + 2);
            float[] expected = ConvReference.random(rnd, m * ldc);
            float[] c = expected.clone();
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(expected, i * ldc, i * ldc + n, init[2 + i]);
            }
            SgemmReference.multiplyAdd(m, n, k, a, 0, k, b, 0, n, expected, 0, ldc);
            Sgemm.multiply(m, n, k, a, 0, k, b, 0, n, init, 2, c, 0, ldc);
            assertArrayEquals(expected, c, "m=" + m + " n=" + n + " k=" + k);
        }
    }

    @Test
    void fusedClampGivesTheBitsOfAClampPassAfterTheProduct() {
        // multiplyClamped must equal "reference product, then ConvClamp.apply row by row": wide, narrow (<= 4
        // vectors) and tail columns, every row block, K over several panels (only the last may clamp), with and
        // without row initial values, with Relu6, a tight clamp and the identity.
        Random rnd = new Random(23);
        int[][] shapes = {{1, 1, 1}, {96, 256, 16}, {24, 256, 96}, {37, 200, 24}, {14, 49, 600}, {29, 130, 260},
            {12, 40, 16}, {8, 17, 5}, {34, 49, 40}, {160, 49, 960}, {7, 100, 0}, {20, 1, 300}, {6, 50, 20}};
        ConvClamp[] clamps = {new ConvClamp(0f, 6f), new ConvClamp(-0.5f, 0.25f), ConvClamp.NONE};
        for (int[] s : shapes) {
            for (ConvClamp clamp : clamps) {
                for (boolean withInit : new boolean[] {true, false}) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    int ldc = n + 3;
                    float[] a = ConvReference.random(rnd, m * k);
                    float[] b = ConvReference.random(rnd, k * n);
                    float[] init = withInit ? ConvReference.random(rnd, m + 2) : null;
                    float[] expected = ConvReference.random(rnd, m * ldc);
                    float[] c = expected.clone();
                    for (int i = 0; withInit && i < m; i++) {
                        java.util.Arrays.fill(expected, i * ldc, i * ldc + n, init[2 + i]);
                    }
                    SgemmReference.multiplyAdd(m, n, k, a, 0, k, b, 0, n, expected, 0, ldc);
                    for (int i = 0; i < m; i++) {
                        clamp.apply(expected, i * ldc, n);
                    }
                    Sgemm.multiplyClamped(m, n, k, a, 0, k, b, 0, n, init, 2, clamp, c, 0, ldc);
                    assertArrayEquals(expected, c, "m=" + m + " n=" + n + " k=" + k + " " + clamp + " init "
                            + withInit);
                }
            }
        }
    }

    @Test
    void parallelProductIsBitIdenticalForAnyThreadCount() {
        Random rnd = new Random(11);
        for (int[] s : new int[][] {{64, 1000, 70}, {300, 3, 200}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = ConvReference.random(rnd, m * k);
            float[] b = ConvReference.random(rnd, k * n);
            float[] one = new float[m * n];
            float[] three = new float[m * n];
            Sgemm.multiplyAddParallel(ExecContext.withThreads(1), m, n, k, a, 0, k, b, 0, n, one, 0, n);
            Sgemm.multiplyAddParallel(ExecContext.withThreads(3), m, n, k, a, 0, k, b, 0, n, three, 0, n);
            assertArrayEquals(one, three);
            float[] ref = new float[m * n];
            SgemmReference.multiplyAdd(m, n, k, a, 0, k, b, 0, n, ref, 0, n);
            assertArrayEquals(ref, one);
        }
    }

    @Test
    void fmaChainMatchesAPlainDoubleDotProductWithinFloatRounding() {
        Random rnd = new Random(3);
        int k = 1000;
        float[] a = ConvReference.random(rnd, k);
        float[] b = ConvReference.random(rnd, k);
        float[] c = new float[1];
        Sgemm.multiplyAdd(1, 1, k, a, 0, k, b, 0, 1, c, 0, 1);
        double exact = 0;
        for (int p = 0; p < k; p++) {
            exact += (double) a[p] * b[p];
        }
        assertEquals(exact, c[0], 1e-4);
    }
}
