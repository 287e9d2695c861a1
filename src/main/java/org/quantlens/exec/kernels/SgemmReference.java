package org.quantlens.exec.kernels;

/**
 * Scalar reference single-precision matrix multiply-accumulate: {@code C += A * B} on row-major panels of larger
 * arrays (offset + leading dimension, BLAS style).
 *
 * <p>Every element is one fused multiply-add chain in increasing {@code p}, starting from its current value:
 * {@code c = fma(a[i][0], b[0][j], c); c = fma(a[i][1], b[1][j], c); ...}. {@link Sgemm} computes exactly the
 * same chain with vectors, so the two agree bit for bit; this class is the readable definition.
 */
final class SgemmReference {
    private SgemmReference() {
    }

    /** {@code C[i][j] = fma-chain over p of A[i][p] * B[p][j], starting at C[i][j]}, for i < m, j < n, p < k. */
    static void multiplyAdd(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = c[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], acc);
                }
                c[cOff + i * ldc + j] = acc;
            }
        }
    }
}
