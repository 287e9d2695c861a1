package org.quantlens.exec.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pools one (batch, channel) plane a row at a time: for each output row, every in-bounds tap is applied to the
 * contiguous range of output columns it reaches. The per-output work no longer forms one long dependency chain
 * (a running max or sum waits for the previous tap), so the loop runs at throughput instead of latency.
 *
 * <p>Each output still receives its taps in row-major order (depth, height, width), so a sum is bit-identical to
 * a window-by-window loop. Max uses {@link Math#max} (NaN propagates; +0 beats -0), which does not depend on
 * the order at all.
 */
final class PoolRows {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lane 2j takes lane 2j+1 and back: brings each window's right column next to its left. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);

    private PoolRows() {
    }

    /**
     * Writes into {@code y[yOff ...]} (one output plane) the max ({@code max = true}) or the sum of the in-bounds
     * taps of each window; a window without one gets -infinity (max) or 0 (sum).
     */
    static void pool(ConvGeometry g, PoolTaps taps, float[] src, int xOff, float[] y, int yOff, boolean max) {
        int[] out = g.out();
        int inH = g.in()[1];
        int inW = g.in()[2];
        int kernelW = g.kernel()[2];
        int strideW = g.stride()[2];
        int[] shift = new int[kernelW];
        int[] lo = new int[kernelW];
        int[] hi = new int[kernelW];
        for (int kw = 0; kw < kernelW; kw++) {
            shift[kw] = g.inputCoord(2, 0, kw);
            // Output columns whose input column ow * stride + shift lies in [0, inW).
            lo[kw] = Math.max(0, Math.floorDiv(-shift[kw] + strideW - 1, strideW));
            hi[kw] = Math.min(out[2], Math.floorDiv(inW - 1 - shift[kw], strideW) + 1);
        }
        Arrays.fill(y, yOff, yOff + g.outVolume(), max ? Float.NEGATIVE_INFINITY : 0f);
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                int yRow = yOff + (od * out[1] + oh) * out[2];
                for (int kd = 0, id = taps.first(0, od); kd < taps.valid(0, od); kd++, id += g.dilation()[0]) {
                    for (int kh = 0, ih = taps.first(1, oh); kh < taps.valid(1, oh); kh++, ih += g.dilation()[1]) {
                        int xRow = xOff + (id * inH + ih) * inW;
                        for (int kw = 0; kw < kernelW; kw++) {
                            if (max) {
                                maxInto(src, xRow + shift[kw], strideW, y, yRow, lo[kw], hi[kw]);
                            } else {
                                addInto(src, xRow + shift[kw], strideW, y, yRow, lo[kw], hi[kw]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * True for the classic 2x2 / stride 2 window (LeNet, VGG) with every window inside the input: kernel and stride
     * 1 on depth, no begin padding, and no window reaching the end padding. Then {@link #max2x2} applies.
     */
    static boolean isInBounds2x2(ConvGeometry g) {
        int[] k = g.kernel();
        int[] s = g.stride();
        int[] d = g.dilation();
        int[] p = g.padBegin();
        return k[0] == 1 && k[1] == 2 && k[2] == 2 && s[0] == 1 && s[1] == 2 && s[2] == 2
                && d[1] == 1 && d[2] == 1 && p[0] == 0 && p[1] == 0 && p[2] == 0
                && g.out()[0] <= g.in()[0] && 2 * g.out()[1] <= g.in()[1] && 2 * g.out()[2] <= g.in()[2];
    }

    /**
     * Max pooling of one plane for a geometry accepted by {@link #isInBounds2x2}: each output is
     * {@code max(max(max(x00, x01), x10), x11)}, the four taps in row-major order with {@link Math#max}, exactly
     * the chain {@link #pool} computes (its -infinity start is the identity of Math.max, NaNs included), so the
     * result is bit-identical, just without tap bookkeeping, except that a NaN output is the canonical NaN rather
     * than the window's first NaN payload (the vector max does not carry payloads).
     *
     * <p>Rows are taken in vectors of the preferred width L (the one every FP32 kernel uses, so the Vector API code stays monomorphic): L input columns of the top and bottom rows give L/2
     * outputs in the even lanes, each built by the same chain in the same order (the odd neighbour brought over by a
     * fixed lane swap; {@link VectorOperators#MAX} is Math.max lane by lane), copied out one by one (planes 2L wide
     * are too rare to gather with a two-source rearrange); the last columns go through the scalar chain.
     */
    static void max2x2(ConvGeometry g, float[] src, int xOff, float[] y, int yOff) {
        int inH = g.in()[1];
        int inW = g.in()[2];
        int outW = g.out()[2];
        int half = SPECIES.length() / 2;
        float[] lanes = new float[SPECIES.length()];
        int yi = yOff;
        for (int od = 0; od < g.out()[0]; od++) {
            for (int oh = 0; oh < g.out()[1]; oh++) {
                int top = xOff + (od * inH + 2 * oh) * inW;
                int bottom = top + inW;
                int ow = 0;
                for (; ow + half <= outW; ow += half, yi += half) {
                    windowMaxima(src, top + 2 * ow, bottom + 2 * ow).intoArray(lanes, 0);
                    for (int j = 0; j < half; j++) {
                        y[yi + j] = lanes[2 * j];
                    }
                }
                for (; ow < outW; ow++, yi++) {
                    int c = 2 * ow;
                    float upper = Math.max(src[top + c], src[top + c + 1]);
                    y[yi] = Math.max(Math.max(upper, src[bottom + c]), src[bottom + c + 1]);
                }
            }
        }
    }

    /** Even lane 2j: max(max(max(x00, x01), x10), x11) of the window whose top-left is column 2j of the vector. */
    private static FloatVector windowMaxima(float[] src, int top, int bottom) {
        FloatVector t = FloatVector.fromArray(SPECIES, src, top);
        FloatVector b = FloatVector.fromArray(SPECIES, src, bottom);
        return t.lanewise(VectorOperators.MAX, t.rearrange(SWAP_PAIRS))
                .lanewise(VectorOperators.MAX, b)
                .lanewise(VectorOperators.MAX, b.rearrange(SWAP_PAIRS));
    }

    private static void maxInto(float[] src, int xBase, int stride, float[] y, int yRow, int lo, int hi) {
        for (int ow = lo; ow < hi; ow++) {
            y[yRow + ow] = Math.max(y[yRow + ow], src[xBase + ow * stride]);
        }
    }

    private static void addInto(float[] src, int xBase, int stride, float[] y, int yRow, int lo, int hi) {
        for (int ow = lo; ow < hi; ow++) {
            y[yRow + ow] += src[xBase + ow * stride];
        }
    }
}
