package org.quantlens.exec.kernels;

import org.quantlens.exec.VectorWarmUp;

/**
 * The plain-Java matrix product {@link Sgemm} uses while the JVM is fresh ({@link VectorWarmUp}): each of Sgemm's
 * register blocks warms up separately, and the bundled sample's calibration (about 1.5 G multiply-adds) would
 * otherwise spend most of its CPU there. Products run here until the process has spent {@link #BUDGET} in them.
 *
 * <p>Arithmetic: {@code C[i][j] = rowInit[i]} (when given), then for p = 0, 1, ..., k-1 in increasing order
 * {@code C[i][j] = fma(A[i][p], B[p][j], C[i][j])}: the same fused multiply-add chain per element as
 * {@link SgemmReference} and {@link Sgemm}, so switching kernels never changes a bit. The loop order (i, p, j)
 * walks B and C rows contiguously, which C2 vectorises on its own.
 */
final class SgemmWarmUp {
    /**
     * Plain-loop time before the vector kernels take over: the bundled sample's calibration spends about 50 ms
     * here; any longer job loses at most about this much to the slower loops (8x slower on digits_mlp's small
     * products, 1-2x on convolutions).
     */
    static final VectorWarmUp BUDGET = VectorWarmUp.ofMillis(100);

    private SgemmWarmUp() {
    }

    /** {@code C = rowInit + A * B}, or {@code C += A * B} when {@code rowInit} is null; see the class comment. */
    static void multiply(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] rowInit, int rowInitOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int c0 = cOff + i * ldc;
            if (rowInit != null) {
                java.util.Arrays.fill(c, c0, c0 + n, rowInit[rowInitOff + i]);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * lda + p];
                int b0 = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[c0 + j] = Math.fma(aip, b[b0 + j], c[c0 + j]);
                }
            }
        }
    }
}
