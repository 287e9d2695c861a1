package org.quantlens.exec.kernels;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A kernel's budget of work to run on plain loops before its Vector API code takes over, for a fresh JVM.
 *
 * <p>Why: Vector API code runs some 50 times slower than plain code until C2 has compiled it (each method on its
 * own, after thousands of calls or loop trips), while plain loops reach compiled speed within milliseconds. A short
 * job, like the bundled sample's one-second calibration, would spend most of its CPU in that warm-up and never
 * recover it. So a kernel with a plain twin of the same arithmetic (same bits) runs the twin for its first units
 * of work in the process, and its vector code after that, where a job is long enough to repay the warm-up.
 *
 * <p>The system property {@code quantlens.vectorWarmUp=off} sets every budget to 0 (the test suite does, so that
 * every test exercises the vector code; the plain twins have tests of their own).
 */
final class VectorWarmUp {
    private static final boolean OFF = "off".equals(System.getProperty("quantlens.vectorWarmUp"));

    private final long budget;
    private final AtomicLong spent = new AtomicLong();
    private volatile boolean over;

    VectorWarmUp(long budget) {
        this.budget = budget;
        this.over = budget <= 0;
    }

    /** A process-wide budget of {@code units}, or none when the property turns warm-ups off. */
    static VectorWarmUp of(long units) {
        return new VectorWarmUp(OFF ? 0 : units);
    }

    /** Whether the budget is spent: from now on the vector code runs. */
    boolean isSpent() {
        return over;
    }

    /**
     * Whether {@code units} of work should still run on the plain twin (and counts them when so): true until the
     * work taken reaches the budget; the call that crosses it is the last.
     */
    boolean take(long units) {
        if (over) {
            return false;
        }
        if (spent.addAndGet(units) >= budget) {
            over = true;
        }
        return true;
    }
}
