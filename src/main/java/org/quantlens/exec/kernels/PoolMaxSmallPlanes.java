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
 * holds several of (LeNet's 4) take the maxima of horizontal pairs of four input vectors and then of vertical pairs
 * through two fixed two-vector shuffles (gathers, with the Downfall microcode mitigation, cost several times more). {@link PoolRows#max2x2}
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
        int o = firstPlane * g.outVolume();
        int end = endPlane * g.outVolume();
        // Output lane l (row l / outW, column c = l % outW of the vector's outputs) is the max of pair maxima
        // t = 2l - c (top input row) and t + outW (bottom row), counted over the two vectors of pair maxima.
        // Single-vector shuffles (index mod VL) and a blend: JDK 17's two-vector rearrange is not compiled to one.
        int[] top = new int[VL];
        int[] bottom = new int[VL];
        boolean[] topInSecond = new boolean[VL];
        boolean[] bottomInSecond = new boolean[VL];
        for (int l = 0; l < VL; l++) {
            int t = 2 * l - l % outW;
            top[l] = t % VL;
            topInSecond[l] = t >= VL;
            bottom[l] = (t + outW) % VL;
            bottomInSecond[l] = t + outW >= VL;
        }
        VectorShuffle<Float> topPairs = VectorShuffle.fromArray(SPECIES, top, 0);
        VectorShuffle<Float> bottomPairs = VectorShuffle.fromArray(SPECIES, bottom, 0);
        VectorMask<Float> topSecond = VectorMask.fromArray(SPECIES, topInSecond, 0);
        VectorMask<Float> bottomSecond = VectorMask.fromArray(SPECIES, bottomInSecond, 0);
        // Every vector of outputs is whole output rows (outW divides VL), so its inputs are the next four vectors.
        int topLeft = o / outW * 2 * inW;
        for (; o + VL <= end; o += VL, topLeft += 4 * VL) {
            FloatVector pairs0 = pairsOfTwoVectors(src, topLeft);
            FloatVector pairs1 = pairsOfTwoVectors(src, topLeft + 2 * VL);
            FloatVector upper = pairs0.rearrange(topPairs).blend(pairs1.rearrange(topPairs), topSecond);
            FloatVector lower = pairs0.rearrange(bottomPairs).blend(pairs1.rearrange(bottomPairs), bottomSecond);
            upper.lanewise(VectorOperators.MAX, lower).intoArray(y, o);
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
        // The output row and column of o, advanced half a vector at a time: no division per vector.
        int row = o / outW;
        int col = o % outW;
        for (; o + VL <= end; o += VL) {
            FloatVector low = pairMaxima(src, row * 2 * inW + col * 2, inW).rearrange(EVEN_LANES);
            col += half;
            if (col == outW) {
                col = 0;
                row++;
            }
            FloatVector high = pairMaxima(src, row * 2 * inW + col * 2, inW).rearrange(EVEN_LANES);
            col += half;
            if (col == outW) {
                col = 0;
                row++;
            }
            low.blend(high, HIGH_HALF).intoArray(y, o);
        }
        for (; o < end; o++) {
            int t = topLeft(o, outW, inW);
            y[o] = Math.max(Math.max(Math.max(src[t], src[t + 1]), src[t + inW]), src[t + inW + 1]);
        }
    }

    /**
     * The maxima of the 2 * VL horizontal pairs of floats {@code [at, at + 2 VL)}, in order: each vector's pairs
     * meet in its even lanes, which are moved to the low (first vector) and high (second vector) half.
     */
    private static FloatVector pairsOfTwoVectors(float[] src, int at) {
        FloatVector a = FloatVector.fromArray(SPECIES, src, at);
        FloatVector b = FloatVector.fromArray(SPECIES, src, at + VL);
        FloatVector low = a.lanewise(VectorOperators.MAX, a.rearrange(SWAP_PAIRS)).rearrange(EVEN_LANES);
        FloatVector high = b.lanewise(VectorOperators.MAX, b.rearrange(SWAP_PAIRS)).rearrange(EVEN_LANES);
        return low.blend(high, HIGH_HALF);
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
