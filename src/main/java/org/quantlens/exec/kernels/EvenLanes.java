package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-2 picking for the convolution kernels: {@code dst[to + i] = src[from + 2 * i]} for {@code i < count}, a
 * vector at a time. The even lanes of two consecutive source vectors are permuted to the low and to the high half
 * of a vector ({@code EVEN_LANES}) and the halves blended. {@link #split} de-interleaves a run into its even and
 * its odd values in one pass (the same permutes, plus {@code ODD_LANES}). Pure copies: every value moves unchanged.
 */
final class EvenLanes {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Lane i takes lane {@code 2i mod VL}: a vector's even lanes in order, in the low half and in the high half. */
    private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(SPECIES, i -> (2 * i) % VL);
    /** Lane i takes lane {@code (2i + 1) mod VL}: a vector's odd lanes in order, in both halves. */
    private static final VectorShuffle<Float> ODD_LANES = VectorShuffle.fromOp(SPECIES, i -> (2 * i + 1) % VL);
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);
    private static final VectorMask<Float> HIGH_HALF =
            VectorMask.fromLong(SPECIES, (-1L << (VL / 2)) & ((1L << VL) - 1));

    private EvenLanes() {
    }

    /**
     * Copies {@code count} values from every second position of {@code src}. Whole vectors are written only where
     * all their lanes belong to the result and read only inside {@code src}; the rest goes one value at a time.
     * {@code src == dst} with {@code to <= from} is allowed (a block is read before it is written, and later blocks
     * read only above what earlier ones wrote).
     */
    static void pick(float[] src, int from, float[] dst, int to, int count) {
        int i = 0;
        for (; i + VL <= count && from + 2 * i + 2 * VL <= src.length; i += VL) {
            FloatVector lo = FloatVector.fromArray(SPECIES, src, from + 2 * i).rearrange(EVEN_LANES);
            FloatVector hi = FloatVector.fromArray(SPECIES, src, from + 2 * i + VL).rearrange(EVEN_LANES);
            lo.blend(hi, HIGH_HALF).intoArray(dst, to + i);
        }
        for (; i < count; i++) {
            dst[to + i] = src[from + 2 * i];
        }
    }

    /**
     * De-interleaves {@code 2 * pairs} consecutive values: {@code even[evenTo + i] = src[from + 2 * i]} and
     * {@code odd[oddTo + i] = src[from + 2 * i + 1]} for {@code i < pairs}. Each pair of source vectors is loaded
     * once and permuted into a vector of even and a vector of odd values. When {@code pairs} is not a multiple of
     * the vector length the last vector overlaps the previous one (it rewrites the same values), so the
     * destinations must not overlap the source. Whole vectors are read only inside {@code src}; with {@code plain}
     * (the fresh-JVM twin, see VectorWarmUp), or fewer pairs than a vector, everything goes one value at a time.
     */
    static void split(float[] src, int from, int pairs, float[] even, int evenTo, float[] odd, int oddTo,
                      boolean plain) {
        if (plain || pairs < VL) {
            for (int i = 0; i < pairs; i++) {
                even[evenTo + i] = src[from + 2 * i];
                odd[oddTo + i] = src[from + 2 * i + 1];
            }
            return;
        }
        for (int i = 0; i < pairs; i += VL) {
            int at = Math.min(i, pairs - VL);
            FloatVector a = FloatVector.fromArray(SPECIES, src, from + 2 * at);
            FloatVector b = FloatVector.fromArray(SPECIES, src, from + 2 * at + VL);
            a.rearrange(EVEN_LANES).blend(b.rearrange(EVEN_LANES), HIGH_HALF).intoArray(even, evenTo + at);
            a.rearrange(ODD_LANES).blend(b.rearrange(ODD_LANES), HIGH_HALF).intoArray(odd, oddTo + at);
        }
    }

    /**
     * {@link #split} for fewer pairs than a vector (rows of 28 or 14 values), with whole-vector stores: writes a
     * vector at {@code evenTo} and one at {@code oddTo} whose lanes from {@code pairs} on are zero, and reads the
     * {@code 2 * VL} values from {@code from} (the caller makes sure they lie inside {@code src}). The caller must
     * accept those zeros in the {@code VL - pairs} cells after each destination run.
     */
    static void splitNarrow(float[] src, int from, int pairs, float[] even, int evenTo, float[] odd, int oddTo) {
        VectorMask<Float> kept = SPECIES.indexInRange(0, pairs);
        FloatVector a = FloatVector.fromArray(SPECIES, src, from);
        FloatVector evens = a.rearrange(EVEN_LANES);
        FloatVector odds = a.rearrange(ODD_LANES);
        if (2 * pairs > VL) {
            // The pairs span two vectors (rows of 28); one vector holds 14.
            FloatVector b = FloatVector.fromArray(SPECIES, src, from + VL);
            evens = evens.blend(b.rearrange(EVEN_LANES), HIGH_HALF);
            odds = odds.blend(b.rearrange(ODD_LANES), HIGH_HALF);
        }
        ZERO.blend(evens, kept).intoArray(even, evenTo);
        ZERO.blend(odds, kept).intoArray(odd, oddTo);
    }
}
