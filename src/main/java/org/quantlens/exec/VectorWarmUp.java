package org.quantlens.exec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A kernel's allowance of time to run on plain loops before its Vector API code takes over, for a fresh JVM.
 *
 * <p>Why: Vector API code runs some 50 times slower than plain code until C2 has compiled it (each method on its
 * own, after thousands of calls or loop trips), while plain loops reach compiled speed within milliseconds. A short
 * job, like the bundled sample's one-second calibration, would spend most of its CPU in that warm-up and never
 * recover it. So a kernel with a plain twin of the same arithmetic (same bits) runs the twin until the process has
 * spent this allowance in it, and its vector code after that. The allowance is time, not work: the twins are 5 to
 * 20 times slower than the compiled vector code (C2 does not vectorise them on JDK 17), and on small products the
 * gap is widest, so a bound on time is what bounds the cost for any model. Which code runs depends on timing, the
 * result never does.
 *
 * <p>The system property {@code quantlens.vectorWarmUp=off} makes every allowance 0 (the test suite does, so that
 * every test exercises the vector code; the plain twins have tests of their own).
 */
public final class VectorWarmUp {
    private static final boolean OFF = "off".equals(System.getProperty("quantlens.vectorWarmUp"));

    private final long budgetNanos;
    private final AtomicLong spentNanos = new AtomicLong();
    private volatile boolean over;

    /** An allowance of {@code budgetNanos} (0 or less: none). */
    public VectorWarmUp(long budgetNanos) {
        this.budgetNanos = budgetNanos;
        this.over = budgetNanos <= 0;
    }

    /** A process-wide allowance of {@code millis} ms summed over all threads, or none when warm-ups are off. */
    public static VectorWarmUp ofMillis(long millis) {
        return new VectorWarmUp(OFF ? 0 : millis * 1_000_000);
    }

    /** Whether the allowance is spent: the vector code runs from now on. */
    public boolean isSpent() {
        return over;
    }

    /** Records {@code nanos} spent in the plain twin; the record that reaches the allowance spends it. */
    public void record(long nanos) {
        if (!over && spentNanos.addAndGet(nanos) >= budgetNanos) {
            over = true;
        }
    }
}
