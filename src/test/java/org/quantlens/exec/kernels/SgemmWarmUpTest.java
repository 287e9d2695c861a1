package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fresh-JVM kernel gives Sgemm's bits. */
class SgemmWarmUpTest {
    @Test
    void warmUpKernelIsBitExactWithTheReferenceWithAndWithoutRowValues() {
        Random rnd = new Random(23);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {12, 40, 16}, {7, 33, 300}, {20, 17, 257}, {5, 100, 0}, {1, 49, 960}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int lda = k + 3;
            int ldb = n + 5;
            int ldc = n + 2;
            float[] a = ConvReference.random(rnd, 2 + m * lda);
            float[] b = ConvReference.random(rnd, 1 + k * ldb);
            float[] c = ConvReference.random(rnd, 4 + m * ldc);
            float[] expected = c.clone();
            SgemmReference.multiplyAdd(m, n, k, a, 2, lda, b, 1, ldb, expected, 4, ldc);
            float[] accumulated = c.clone();
            SgemmWarmUp.multiply(m, n, k, a, 2, lda, b, 1, ldb, null, 0, accumulated, 4, ldc);
            assertArrayEquals(expected, accumulated, "C += A*B, m=" + m + " n=" + n + " k=" + k);

            float[] init = ConvReference.random(rnd, m + 1);
            float[] filled = c.clone();
            for (int i = 0; i < m; i++) {
                Arrays.fill(filled, 4 + i * ldc, 4 + i * ldc + n, init[1 + i]);
            }
            SgemmReference.multiplyAdd(m, n, k, a, 2, lda, b, 1, ldb, filled, 4, ldc);
            float[] started = ConvReference.random(rnd, c.length); // garbage: C is only written
            System.arraycopy(c, 0, started, 0, 4);
            for (int i = 0; i < m; i++) {
                int end = i + 1 < m ? 4 + (i + 1) * ldc : started.length;
                System.arraycopy(c, 4 + i * ldc + n, started, 4 + i * ldc + n, end - (4 + i * ldc + n));
            }
            SgemmWarmUp.multiply(m, n, k, a, 2, lda, b, 1, ldb, init, 1, started, 4, ldc);
            assertArrayEquals(filled, started, "C = init + A*B, m=" + m + " n=" + n + " k=" + k);
        }
    }
}
