package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An activation folded into a convolution's output: {@code min(max, max(x, min))}, exactly the engine's Clip
 * (Relu is {@code [0, +inf]}), applied while a tile is still in cache instead of in a second pass over memory.
 * NaN propagates ({@link Math#max}/{@link Math#min} do). {@link #NONE} ({@code [-inf, +inf]}) is the identity and
 * is skipped.
 */
record ConvClamp(float min, float max) {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final ConvClamp NONE = new ConvClamp(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    boolean isIdentity() {
        return min == Float.NEGATIVE_INFINITY && max == Float.POSITIVE_INFINITY;
    }

    /**
     * Clamps {@code v[off, off + length)} in place, whole vectors of the preferred species first
     * ({@link VectorOperators#MAX}/{@link VectorOperators#MIN} are Math.max/Math.min lane by lane, signed zeros
     * included; a NaN stays NaN, as the canonical NaN), the remainder one by one.
     */
    void apply(float[] v, int off, int length) {
        if (isIdentity()) {
            return;
        }
        float lo = min;
        float hi = max;
        FloatVector low = FloatVector.broadcast(SPECIES, lo);
        FloatVector high = FloatVector.broadcast(SPECIES, hi);
        int end = off + length;
        int i = off;
        for (; i <= end - SPECIES.length(); i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, v, i).lanewise(VectorOperators.MAX, low)
                    .lanewise(VectorOperators.MIN, high).intoArray(v, i);
        }
        for (; i < end; i++) {
            v[i] = Math.min(hi, Math.max(v[i], lo));
        }
    }
}
