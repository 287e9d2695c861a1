package org.quantlens.exec.kernels;

/**
 * An activation folded into a convolution's output: {@code min(max, max(x, min))}, exactly the engine's Clip
 * (Relu is {@code [0, +inf]}), applied while a tile is still in cache instead of in a second pass over memory.
 * NaN propagates ({@link Math#max}/{@link Math#min} do). {@link #NONE} ({@code [-inf, +inf]}) is the identity and
 * is skipped.
 */
record ConvClamp(float min, float max) {
    static final ConvClamp NONE = new ConvClamp(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    boolean isIdentity() {
        return min == Float.NEGATIVE_INFINITY && max == Float.POSITIVE_INFINITY;
    }

    /** Clamps {@code v[off, off + length)} in place. */
    void apply(float[] v, int off, int length) {
        if (isIdentity()) {
            return;
        }
        float lo = min;
        float hi = max;
        for (int i = off; i < off + length; i++) {
            v[i] = Math.min(hi, Math.max(v[i], lo));
        }
    }
}
