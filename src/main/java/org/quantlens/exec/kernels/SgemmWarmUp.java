package org.quantlens.exec.kernels;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-Java matrix product {@link Sgemm} uses while the JVM is fresh, and the rule for when it stops.
 *
 * <p>Why: Vector API code runs some 50 times slower than plain code until C2 has compiled it, and each of Sgemm's
 * register blocks warms up separately; a short job (the bundled sample's one-second calibration, about 1.5 G
 * multiply-adds) spends most of its CPU in that warm-up and never recovers it. Plain loops reach compiled speed
 * within milliseconds. So the first {@link #DEFAULT_BUDGET} multiply-adds of the process run here, everything after on
 * the vector kernels, whose warm-up a job that long repays.
 *
 * <p>Arithmetic: {@code C[i][j] = rowInit[i]} (when given), then for p = 0, 1, ..., k-1 in increasing order
 * {@code C[i][j] = fma(A[i][p], B[p][j], C[i][j])}: the same fused multiply-add chain per element as
 * {@link SgemmReference} and {@link Sgemm}, so switching kernels never changes a bit. The loop order (i, p, j)
 * walks B and C rows contiguously, which C2 vectorises on its own.
 */
final class SgemmWarmUp {
    /**
     * Multiply-adds run here before the vector kernels take over (about a second of plain-Java work); the system
     * property {@code quantlens.sgemm.warmUpMacs} overrides it (the test suite sets 0, so every test exercises
     * the vector kernels; this class has tests of its own).
     */
    static final long DEFAULT_BUDGET = 2_000_000_000L;
    /** The process's budget, shared by all threads. */
    static final SgemmWarmUp PROCESS = new SgemmWarmUp(Long.getLong("quantlens.sgemm.warmUpMacs", DEFAULT_BUDGET));

    private final long budget;
    private final AtomicLong spent = new AtomicLong();
    private volatile boolean over;

    SgemmWarmUp(long budget) {
        this.budget = budget;
        this.over = budget <= 0;
    }

    /**
     * Whether a product of {@code macs} multiply-adds should still run here (and counts it when so): true until
     * the products taken reach the budget; the product that crosses it is the last.
     */
    boolean take(long macs) {
        if (over) {
            return false;
        }
        if (spent.addAndGet(macs) >= budget) {
            over = true;
        }
        return true;
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
