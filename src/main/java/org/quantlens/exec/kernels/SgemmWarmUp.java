package org.quantlens.exec.kernels;

/**
 * The plain-Java matrix product {@link Sgemm} uses while the JVM is fresh ({@link VectorWarmUp}): each of Sgemm's
 * register blocks warms up separately, and the bundled sample's calibration (about 1.5 G multiply-adds) would
 * otherwise spend most of its CPU there. The first {@link #BUDGET} multiply-adds of the process run here.
 *
 * <p>Arithmetic: {@code C[i][j] = rowInit[i]} (when given), then for p = 0, 1, ..., k-1 in increasing order
 * {@code C[i][j] = fma(A[i][p], B[p][j], C[i][j])}: the same fused multiply-add chain per element as
 * {@link SgemmReference} and {@link Sgemm}, so switching kernels never changes a bit. The loop order (i, p, j)
 * walks B and C rows contiguously, which C2 vectorises on its own.
 */
final class SgemmWarmUp {
    /** Multiply-adds run here before the vector kernels take over: about a second of plain-Java work. */
    static final VectorWarmUp BUDGET = VectorWarmUp.of(2_000_000_000L);

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
