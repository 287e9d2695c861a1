package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 / stride-2 max pooling of small planes (LeNet's 16x16 and 8x8), a range of whole planes at once: the planes
 * are contiguous in X and in Y, so the outputs form one flat sequence that is filled a vector at a time. Output rows
 * a whole number of half vectors long (LeNet's 8) take two plain loads per half vector; shorter rows that a vector
 * holds several of (LeNet's 4) read each window tap through one fixed gather pattern. {@link PoolRows#max2x2}
 * instead works one output row of one plane at a time, and rows shorter than a vector run one output at a time.
 *
 * <p>Values: every output is the Math.max of its four taps ({@link VectorOperators#MAX} is Math.max lane by lane),
 * bit-identical to {@link PoolRows#max2x2} and the row-major window chain, a NaN output being the canonical NaN, as
 * there (Math.max is commutative and associative apart from NaN payloads, +0 beating -0 in any order).
 */
final class PoolMaxSmallPlanes {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Lane 2j takes lane 2j+1 and back: brings each window's right column next to its left. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    /** Lane i takes lane {@code 2i mod VL}: the even lanes in order, in the low half and again in the high half. */
    private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(SPECIES, i -> (2 * i) % VL);
    private static final VectorMask<Float> HIGH_HALF = SPECIES.indexInRange(0, VL / 2).not();

    private PoolMaxSmallPlanes() {
    }

    /**
     * True for a 2-D (or 1-deep) window accepted by {@link PoolRows#isInBounds2x2} that halves the plane exactly
     * ({@code inH = 2 outH}, {@code inW = 2 outW}), with output rows a whole number of half vectors long (read with
     * plain loads), or that a vector holds a whole number of (then every vector of outputs starting at a multiple of
     * the vector length has the same gather pattern).
     */
    static boolean supports(ConvGeometry g) {
        int outW = g.out()[2];
        return PoolRows.isInBounds2x2(g) && g.in()[0] == 1 && g.in()[1] == 2 * g.out()[1] && g.in()[2] == 2 * outW
                && outW > 0 && (VL % outW == 0 || outW % (VL / 2) == 0);
    }

    /** Pools planes {@code [firstPlane, endPlane)} of {@code src} into the same planes of {@code y}. */
    static void max2x2(ConvGeometry g, float[] src, int firstPlane, int endPlane, float[] y) {
        int outW = g.out()[2];
        int inW = g.in()[2];
        if (outW % (VL / 2) == 0) {
            byHalves(src, firstPlane * g.outVolume(), endPlane * g.outVolume(), outW, inW, y);
            return;
        }
        // Lane l's top-left tap relative to that of the vector's first output.
        int[] pattern = new int[VL];
        for (int l = 0; l < VL; l++) {
            pattern[l] = l / outW * 2 * inW + l % outW * 2;
        }
        int o = firstPlane * g.outVolume();
        int end = endPlane * g.outVolume();
        for (; o + VL <= end; o += VL) {
            int topLeft = topLeft(o, outW, inW);
            FloatVector x00 = FloatVector.fromArray(SPECIES, src, topLeft, pattern, 0);
            FloatVector x01 = FloatVector.fromArray(SPECIES, src, topLeft + 1, pattern, 0);
            FloatVector x10 = FloatVector.fromArray(SPECIES, src, topLeft + inW, pattern, 0);
            FloatVector x11 = FloatVector.fromArray(SPECIES, src, topLeft + inW + 1, pattern, 0);
            x00.lanewise(VectorOperators.MAX, x01).lanewise(VectorOperators.MAX, x10)
                    .lanewise(VectorOperators.MAX, x11).intoArray(y, o);
        }
        for (; o < end; o++) {
            int t = topLeft(o, outW, inW);
            y[o] = Math.max(Math.max(Math.max(src[t], src[t + 1]), src[t + inW]), src[t + inW + 1]);
        }
    }

    /**
     * Output rows a whole number of half vectors long (LeNet's 8): each half vector of outputs lies in one output
     * row and reads one vector of its top input row and one of its bottom row; the pair maxima land in the even
     * lanes, which are moved to the low or high half and blended. Plain loads, no gathers. The same value as the
     * row-major chain: Math.max is commutative and associative on non-NaN floats (+0 beats -0 in any order), and a
     * NaN anywhere gives the canonical NaN either way.
     */
    private static void byHalves(float[] src, int o, int end, int outW, int inW, float[] y) {
        int half = VL / 2;
        for (; o + VL <= end; o += VL) {
            FloatVector low = pairMaxima(src, topLeft(o, outW, inW), inW).rearrange(EVEN_LANES);
            FloatVector high = pairMaxima(src, topLeft(o + half, outW, inW), inW).rearrange(EVEN_LANES);
            low.blend(high, HIGH_HALF).intoArray(y, o);
        }
        for (; o < end; o++) {
            int t = topLeft(o, outW, inW);
            y[o] = Math.max(Math.max(Math.max(src[t], src[t + 1]), src[t + inW]), src[t + inW + 1]);
        }
    }

    /** Even lane 2j: the max of the window whose top-left is lane 2j of the vector at {@code topLeft}. */
    private static FloatVector pairMaxima(float[] src, int topLeft, int inW) {
        FloatVector vertical = FloatVector.fromArray(SPECIES, src, topLeft)
                .lanewise(VectorOperators.MAX, FloatVector.fromArray(SPECIES, src, topLeft + inW));
        return vertical.lanewise(VectorOperators.MAX, vertical.rearrange(SWAP_PAIRS));
    }

    /** The top-left tap of flat output o: output rows of all planes follow each other, as input row pairs do. */
    private static int topLeft(int o, int outW, int inW) {
        return o / outW * 2 * inW + o % outW * 2;
    }
}
