package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector form of {@link PoolRows#max2x2} (2x2 window, stride 2, every window inside the input): each output is
 * still {@code max(max(max(x00, x01), x10), x11)} with {@link Math#max} semantics, only half a vector of outputs at
 * a time. Each pair of neighbouring floats is read as one long lane and split into its low (even column) and high
 * (odd column) halves, so the taps meet in the scalar chain's order.
 *
 * <p>Results are bit-identical with the scalar chain, signed zeros included, with one exception: when a window
 * holds NaNs with different payloads the output is NaN in both, but the compiled lane-wise maximum may return
 * another of those NaNs. Why it is faster: scalar Math.max on data with many zeros (after a Relu) branches
 * unpredictably; the lane-wise maximum does not branch.
 */
final class PoolMax2x2 {
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
    private static final int PAIRS = WIDE.length() / 2;
    /** Half the width, in ints: one lane per pair of floats. */
    private static final VectorSpecies<Integer> HALF_INTS = ints(WIDE.vectorBitSize() / 2);
    /** For short rows (LeNet's second pool has 4 outputs a row): half-width loads, when that is still 256 bits. */
    private static final boolean NARROW = WIDE.vectorBitSize() >= 512;
    private static final VectorSpecies<Float> HALF = NARROW ? floats(WIDE.vectorBitSize() / 2) : WIDE;
    private static final VectorSpecies<Integer> QUARTER_INTS = NARROW ? ints(WIDE.vectorBitSize() / 4) : HALF_INTS;

    private static VectorSpecies<Integer> ints(int bits) {
        return VectorSpecies.of(int.class, VectorShape.forBitSize(bits));
    }

    private static VectorSpecies<Float> floats(int bits) {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    private PoolMax2x2() {
    }

    /** Same contract and arguments as {@link PoolRows#max2x2}. */
    static void max2x2(ConvGeometry g, float[] src, int xOff, float[] y, int yOff) {
        int inH = g.in()[1];
        int inW = g.in()[2];
        int outW = g.out()[2];
        int yi = yOff;
        for (int od = 0; od < g.out()[0]; od++) {
            for (int oh = 0; oh < g.out()[1]; oh++) {
                int top = xOff + (od * inH + 2 * oh) * inW;
                row(src, top, top + inW, outW, y, yi);
                yi += outW;
            }
        }
    }

    /**
     * One output row: {@code outW} windows over the input rows starting at {@code top} and {@code bottom}. Written
     * out without helper methods taking vectors or species: if such a helper is not inlined, its vectors are boxed
     * and the loop runs many times slower than the scalar one.
     */
    private static void row(float[] src, int top, int bottom, int outW, float[] y, int yi) {
        int ow = 0;
        for (; ow + PAIRS <= outW; ow += PAIRS) {
            LongVector t = FloatVector.fromArray(WIDE, src, top + 2 * ow).reinterpretAsLongs();
            LongVector b = FloatVector.fromArray(WIDE, src, bottom + 2 * ow).reinterpretAsLongs();
            LongVector tHigh = t.lanewise(VectorOperators.LSHR, 32);
            LongVector bHigh = b.lanewise(VectorOperators.LSHR, 32);
            // Low half of a long lane: the even column; high half: the odd one (lanes are little-endian).
            t.convertShape(VectorOperators.L2I, HALF_INTS, 0).reinterpretAsFloats()
                    .lanewise(VectorOperators.MAX, tHigh.convertShape(VectorOperators.L2I, HALF_INTS, 0).reinterpretAsFloats())
                    .lanewise(VectorOperators.MAX, b.convertShape(VectorOperators.L2I, HALF_INTS, 0).reinterpretAsFloats())
                    .lanewise(VectorOperators.MAX, bHigh.convertShape(VectorOperators.L2I, HALF_INTS, 0).reinterpretAsFloats())
                    .intoArray(y, yi + ow);
        }
        if (NARROW && ow + PAIRS / 2 <= outW) {
            LongVector t = FloatVector.fromArray(HALF, src, top + 2 * ow).reinterpretAsLongs();
            LongVector b = FloatVector.fromArray(HALF, src, bottom + 2 * ow).reinterpretAsLongs();
            LongVector tHigh = t.lanewise(VectorOperators.LSHR, 32);
            LongVector bHigh = b.lanewise(VectorOperators.LSHR, 32);
            t.convertShape(VectorOperators.L2I, QUARTER_INTS, 0).reinterpretAsFloats()
                    .lanewise(VectorOperators.MAX, tHigh.convertShape(VectorOperators.L2I, QUARTER_INTS, 0).reinterpretAsFloats())
                    .lanewise(VectorOperators.MAX, b.convertShape(VectorOperators.L2I, QUARTER_INTS, 0).reinterpretAsFloats())
                    .lanewise(VectorOperators.MAX, bHigh.convertShape(VectorOperators.L2I, QUARTER_INTS, 0).reinterpretAsFloats())
                    .intoArray(y, yi + ow);
            ow += PAIRS / 2;
        }
        for (; ow < outW; ow++) {
            int c = 2 * ow;
            float upper = Math.max(src[top + c], src[top + c + 1]);
            y[yi + ow] = Math.max(Math.max(upper, src[bottom + c]), src[bottom + c + 1]);
        }
    }
}
