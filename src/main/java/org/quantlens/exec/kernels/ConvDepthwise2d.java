package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.VectorWarmUp;

/**
 * Fast depthwise convolution (one input channel per group) for 1-D and 2-D inputs, any kernel, stride, dilation
 * and padding: MobileNet's 3x3 stride-1 and stride-2 layers. {@link ConvDepthwise} stays the reference.
 *
 * <p>The plane of output channel {@code oc} is filled (not accumulated into) with {@code bias[oc] + taps}. Per
 * plane, the input is first copied into a zero-bordered plane that covers every tap (the border is zeroed once per
 * worker chunk; planes only rewrite the interior), so each tap is a plain load at a fixed offset: no bounds tests.
 * For strided windows that plane is stored as its polyphase planes (stride 2: even and odd rows times even and odd
 * columns, each input row de-interleaved once by {@link EvenLanes#split}), which turns the window into a
 * unit-stride one over consecutive outputs: only the outputs are computed, no stride-2 picking afterwards (see
 * {@link DepthwiseLayout}). A vector of consecutive outputs is then computed at once with {@link FloatVector#fma}:
 * planes whose output rows are at least a vector wide (MobileNet's 112, 56 and 28, stride 1 or 2) store each
 * output vector straight into y with the clamp applied, so y is written once and never re-read by a separate clamp
 * pass (the clamp of the final value: the same bits), stride-2 3x3 ones two output rows at a time (they share a
 * stored input row); narrower planes (14, 7) are swept flat, row after row, into a buffer and copied out. Each
 * output is the chain {@code bias, +w0*x0, +w1*x1, ...} over the taps in row-major order, as in the reference,
 * except that a tap in the padding adds {@code w * 0} instead of being skipped (as the im2col path of {@link
 * ConvKernel} does). The storage changes only which loads feed a chain, never its order, so the bits do not depend
 * on it.
 *
 * <p>Tolerance against {@link ConvDepthwise}: bit-exact for finite weights, except that a result of exactly zero
 * may differ in sign ({@code -0 + w*0 = +0}); with an infinite or NaN weight next to padding the padded tap gives
 * NaN where the reference skips it (ONNX Runtime, which also pads, behaves like this kernel).
 */
final class ConvDepthwise2d {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Plain-loop time in a fresh JVM before the vector sweeps take over ({@link VectorWarmUp}). */
    private static final VectorWarmUp WARM_UP = VectorWarmUp.ofMillis(50);

    private ConvDepthwise2d() {
    }

    /** True for 1-D and 2-D windows (the depth axis is the lifted identity). */
    static boolean supports(ConvGeometry g) {
        return g.rank() <= 2;
    }

    /**
     * Same contract as {@link ConvDepthwise#run}: output channel {@code oc} reads input channel
     * {@code oc / mPerGroup}, W is {@code [M, 1, kernel...]}; each output chain starts at {@code bias[oc]}
     * ({@code y} is written, never read), then each plane is clamped (a fused Clip/Relu) while in cache.
     */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int mPerGroup, ExecContext ctx) {
        if (WARM_UP.isSpent()) {
            run(g, x, w, bias, clamp, y, batch, channels, mPerGroup, ctx, false);
            return;
        }
        long start = System.nanoTime();
        run(g, x, w, bias, clamp, y, batch, channels, mPerGroup, ctx, true);
        WARM_UP.record(System.nanoTime() - start);
    }

    /**
     * {@link #run} with the sweeps and copies as plain loops ({@code plain}: the same fused multiply-add chains,
     * so the same bits) or with vectors.
     */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int mPerGroup, ExecContext ctx, boolean plain) {
        int m = channels * mPerGroup;
        DepthwiseLayout layout = DepthwiseLayout.of(g);
        long cost = (long) g.outVolume() * g.kernelVolume();
        ctx.parallelFor(batch * m, cost, (start, end) -> {
            float[] padded = KernelScratch.floats(KernelScratch.Slot.DEPTHWISE_PLANE, layout.paddedSize());
            float[] acc = KernelScratch.floats(KernelScratch.Slot.DEPTHWISE_ROWS, layout.sweep() + VL);
            // Every plane writes the same interior cells, so the border and slack are zeroed once per chunk.
            java.util.Arrays.fill(padded, 0, layout.paddedSize(), 0f);
            for (int plane = start; plane < end; plane++) {
                int n = plane / m;
                int oc = plane % m;
                int xOff = (n * channels + oc / mPerGroup) * g.inVolume();
                layout.copyInterior(x, xOff, padded, plain);
                if (!plain && layout.direct()) {
                    // Wide rows: each output vector goes straight to y, clamped on the way.
                    directRows(g, layout, padded, w, oc * g.kernelVolume(), bias[oc], clamp, y, plane * g.outVolume());
                    continue;
                }
                plane(g, layout, padded, w, oc * g.kernelVolume(), bias[oc], acc, y, plane * g.outVolume(), plain);
                clamp.apply(y, plane * g.outVolume(), g.outVolume());
            }
        });
    }

    /** One plane: one flat sweep over the stored rows, then each output row copied into {@code y}. */
    private static void plane(ConvGeometry g, DepthwiseLayout layout, float[] padded, float[] w, int wOff,
                              float initial, float[] acc, float[] y, int yOff, boolean plain) {
        int outH = g.out()[1];
        int outW = g.out()[2];
        sweep(padded, 0, layout.sweep(), layout.tapOffsets(), w, wOff, initial, acc, plain);
        int planeEnd = yOff + outH * outW;
        for (int oh = 0; oh < outH; oh++) {
            int yRow = yOff + oh * outW;
            if (!plain && outW <= VL && yRow + VL <= planeEnd) {
                // One vector per short row (14 or 7 wide): the lanes past the row land in later rows of this
                // plane, which are rewritten afterwards.
                FloatVector.fromArray(SPECIES, acc, oh * layout.width()).intoArray(y, yRow);
            } else {
                copy(acc, oh * layout.width(), y, yRow, outW);
            }
        }
    }

    /**
     * One plane whose output rows are at least a vector wide (112, 56, 28): per output row
     * whole vectors of outputs, each computed from the padded plane and stored once, with the clamp applied to the
     * final value (bit-identical to {@link ConvClamp#apply} afterwards). A row whose width is not a multiple of the
     * vector ends with a vector that overlaps the previous one: the overlapped outputs are the same chains, so they
     * are rewritten with the same bits, and nothing is written outside the row.
     */
    private static void directRows(ConvGeometry g, DepthwiseLayout layout, float[] padded, float[] w, int wOff,
                                   float initial, ConvClamp clamp, float[] y, int yOff) {
        int outH = g.out()[1];
        int outW = g.out()[2];
        int width = layout.width();
        int[] o = layout.tapOffsets();
        if (o.length == 9) {
            int paired = layout.strideTwoRowPairs() ? outH / 2 * 2 : 0;
            strideTwoRowPairs9(0, paired, outW, width, padded, o, w, wOff, initial, clamp, y, yOff);
            directRows9(paired, outH, outW, width, layout.consecutiveRows(), padded, o, w, wOff, initial, clamp, y,
                    yOff);
            return;
        }
        boolean clamped = !clamp.isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, clamp.min());
        FloatVector high = FloatVector.broadcast(SPECIES, clamp.max());
        FloatVector init = FloatVector.broadcast(SPECIES, initial);
        for (int oh = 0; oh < outH; oh++) {
            int base = oh * width;
            int yRow = yOff + oh * outW;
            for (int i = 0; i < outW; i += VL) {
                int at = Math.min(i, outW - VL);
                FloatVector v = init;
                for (int t = 0; t < o.length; t++) {
                    v = FloatVector.broadcast(SPECIES, w[wOff + t])
                            .fma(FloatVector.fromArray(SPECIES, padded, base + at + o[t]), v);
                }
                if (clamped) {
                    v = v.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                }
                v.intoArray(y, yRow + at);
            }
        }
    }

    /**
     * {@link #directRows9} for pairs of output rows {@code [oh0, oh1)} ({@code oh1 - oh0} even) of a 3x3 window
     * with row stride 2 and row dilation 1: kernel row 2 of output row oh is kernel row 0 of output row oh + 1 (the
     * same stored row, one {@code width} further in the even-row phase), so a pair loads 15 input vectors for 18
     * multiply-adds instead of 18, and its two independent chains overlap. Each chain still runs over the taps in
     * order 0..8: the same bits.
     */
    private static void strideTwoRowPairs9(int oh0, int oh1, int outW, int width, float[] padded, int[] o, float[] w,
                                           int wOff, float initial, ConvClamp clamp, float[] y, int yOff) {
        boolean clamped = !clamp.isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, clamp.min());
        FloatVector high = FloatVector.broadcast(SPECIES, clamp.max());
        FloatVector init = FloatVector.broadcast(SPECIES, initial);
        FloatVector w0 = FloatVector.broadcast(SPECIES, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, w[wOff + 8]);
        for (int oh = oh0; oh < oh1; oh += 2) {
            int yRow = yOff + oh * outW;
            for (int i = 0; i < outW; i += VL) {
                int at = Math.min(i, outW - VL);
                int p = oh * width + at;
                FloatVector a = w0.fma(FloatVector.fromArray(SPECIES, padded, p + o[0]), init);
                a = w1.fma(FloatVector.fromArray(SPECIES, padded, p + o[1]), a);
                a = w2.fma(FloatVector.fromArray(SPECIES, padded, p + o[2]), a);
                a = w3.fma(FloatVector.fromArray(SPECIES, padded, p + o[3]), a);
                a = w4.fma(FloatVector.fromArray(SPECIES, padded, p + o[4]), a);
                a = w5.fma(FloatVector.fromArray(SPECIES, padded, p + o[5]), a);
                FloatVector x0 = FloatVector.fromArray(SPECIES, padded, p + o[6]);
                FloatVector x1 = FloatVector.fromArray(SPECIES, padded, p + o[7]);
                FloatVector x2 = FloatVector.fromArray(SPECIES, padded, p + o[8]);
                a = w6.fma(x0, a);
                FloatVector b = w0.fma(x0, init);
                a = w7.fma(x1, a);
                b = w1.fma(x1, b);
                a = w8.fma(x2, a);
                b = w2.fma(x2, b);
                int q = p + width;
                b = w3.fma(FloatVector.fromArray(SPECIES, padded, q + o[3]), b);
                b = w4.fma(FloatVector.fromArray(SPECIES, padded, q + o[4]), b);
                b = w5.fma(FloatVector.fromArray(SPECIES, padded, q + o[5]), b);
                b = w6.fma(FloatVector.fromArray(SPECIES, padded, q + o[6]), b);
                b = w7.fma(FloatVector.fromArray(SPECIES, padded, q + o[7]), b);
                b = w8.fma(FloatVector.fromArray(SPECIES, padded, q + o[8]), b);
                if (clamped) {
                    a = a.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                    b = b.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                }
                a.intoArray(y, yRow + at);
                b.intoArray(y, yRow + outW + at);
            }
        }
    }

    /** {@link #directRows} for 3x3 kernels with the nine weights held in registers. */
    private static void directRows9(int oh0, int oh1, int outW, int width, boolean consecutiveRows, float[] padded,
                                    int[] o, float[] w, int wOff, float initial, ConvClamp clamp, float[] y, int yOff) {
        // Vectors are made here, not passed in: a boxed vector argument defeats the intrinsics until inlining.
        boolean clamped = !clamp.isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, clamp.min());
        FloatVector high = FloatVector.broadcast(SPECIES, clamp.max());
        FloatVector init = FloatVector.broadcast(SPECIES, initial);
        FloatVector w0 = FloatVector.broadcast(SPECIES, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, w[wOff + 8]);
        int oh = oh0;
        if (consecutiveRows) {
            // Undilated rows: output rows oh and oh + 1 share input rows oh + 1 and oh + 2, so a pair of rows
            // loads 12 input vectors for 18 multiply-adds instead of 18; two independent chains also overlap.
            for (; oh + 2 <= oh1; oh += 2) {
                int base = oh * width;
                int yRow = yOff + oh * outW;
                for (int i = 0; i < outW; i += VL) {
                    int at = Math.min(i, outW - VL);
                    int p = base + at;
                    FloatVector x0 = FloatVector.fromArray(SPECIES, padded, p + o[0]);
                    FloatVector x1 = FloatVector.fromArray(SPECIES, padded, p + o[1]);
                    FloatVector x2 = FloatVector.fromArray(SPECIES, padded, p + o[2]);
                    FloatVector a = w0.fma(x0, init);
                    a = w1.fma(x1, a);
                    a = w2.fma(x2, a);
                    x0 = FloatVector.fromArray(SPECIES, padded, p + o[3]);
                    x1 = FloatVector.fromArray(SPECIES, padded, p + o[4]);
                    x2 = FloatVector.fromArray(SPECIES, padded, p + o[5]);
                    a = w3.fma(x0, a);
                    a = w4.fma(x1, a);
                    a = w5.fma(x2, a);
                    FloatVector b = w0.fma(x0, init);
                    b = w1.fma(x1, b);
                    b = w2.fma(x2, b);
                    x0 = FloatVector.fromArray(SPECIES, padded, p + o[6]);
                    x1 = FloatVector.fromArray(SPECIES, padded, p + o[7]);
                    x2 = FloatVector.fromArray(SPECIES, padded, p + o[8]);
                    a = w6.fma(x0, a);
                    a = w7.fma(x1, a);
                    a = w8.fma(x2, a);
                    b = w3.fma(x0, b);
                    b = w4.fma(x1, b);
                    b = w5.fma(x2, b);
                    x0 = FloatVector.fromArray(SPECIES, padded, p + width + o[6]);
                    x1 = FloatVector.fromArray(SPECIES, padded, p + width + o[7]);
                    x2 = FloatVector.fromArray(SPECIES, padded, p + width + o[8]);
                    b = w6.fma(x0, b);
                    b = w7.fma(x1, b);
                    b = w8.fma(x2, b);
                    if (clamped) {
                        a = a.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                        b = b.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                    }
                    a.intoArray(y, yRow + at);
                    b.intoArray(y, yRow + outW + at);
                }
            }
        }
        for (; oh < oh1; oh++) {
            int base = oh * width;
            int yRow = yOff + oh * outW;
            for (int i = 0; i < outW; i += VL) {
                int p = base + Math.min(i, outW - VL);
                FloatVector v = w0.fma(FloatVector.fromArray(SPECIES, padded, p + o[0]), init);
                v = w1.fma(FloatVector.fromArray(SPECIES, padded, p + o[1]), v);
                v = w2.fma(FloatVector.fromArray(SPECIES, padded, p + o[2]), v);
                v = w3.fma(FloatVector.fromArray(SPECIES, padded, p + o[3]), v);
                v = w4.fma(FloatVector.fromArray(SPECIES, padded, p + o[4]), v);
                v = w5.fma(FloatVector.fromArray(SPECIES, padded, p + o[5]), v);
                v = w6.fma(FloatVector.fromArray(SPECIES, padded, p + o[6]), v);
                v = w7.fma(FloatVector.fromArray(SPECIES, padded, p + o[7]), v);
                v = w8.fma(FloatVector.fromArray(SPECIES, padded, p + o[8]), v);
                if (clamped) {
                    v = v.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                }
                v.intoArray(y, yRow + p - base);
            }
        }
    }

    /** System.arraycopy for long runs; a plain loop for short ones (7x7 planes), where the call costs more. */
    static void copy(float[] src, int from, float[] dst, int to, int length) {
        if (length >= 32) {
            System.arraycopy(src, from, dst, to, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            dst[to + i] = src[from + i];
        }
    }

    /**
     * {@code acc[i] = initial + sum over taps t (in order) of w[t] * padded[base + i + tapOffsets[t]]} for
     * {@code i < count} (rounded up to whole vectors; the padded plane has a vector of slack).
     */
    private static void sweep(float[] padded, int base, int count, int[] tapOffsets, float[] w, int wOff,
                              float initial, float[] acc, boolean plain) {
        if (plain) {
            sweepPlain(padded, base, count, tapOffsets, w, wOff, initial, acc);
            return;
        }
        if (tapOffsets.length == 9) {
            sweep9(padded, base, count, tapOffsets, w, wOff, initial, acc);
            return;
        }
        FloatVector init = FloatVector.broadcast(SPECIES, initial);
        for (int i = 0; i < count; i += VL) {
            FloatVector v = init;
            for (int t = 0; t < tapOffsets.length; t++) {
                v = FloatVector.broadcast(SPECIES, w[wOff + t])
                        .fma(FloatVector.fromArray(SPECIES, padded, base + i + tapOffsets[t]), v);
            }
            v.intoArray(acc, i);
        }
    }

    /** {@link #sweep} as plain loops: tap by tap over the row, the same chain per output (for a fresh JVM). */
    private static void sweepPlain(float[] padded, int base, int count, int[] tapOffsets, float[] w, int wOff,
                                   float initial, float[] acc) {
        java.util.Arrays.fill(acc, 0, count, initial);
        for (int t = 0; t < tapOffsets.length; t++) {
            float wt = w[wOff + t];
            int p = base + tapOffsets[t];
            for (int i = 0; i < count; i++) {
                acc[i] = Math.fma(wt, padded[p + i], acc[i]);
            }
        }
    }

    /** {@link #sweep} for 3x3 kernels with the nine weights held in registers. */
    private static void sweep9(float[] padded, int base, int count, int[] o, float[] w, int wOff, float initial,
                               float[] acc) {
        // Vectors never cross a call boundary: a boxed vector argument defeats the intrinsics until inlining.
        FloatVector init = FloatVector.broadcast(SPECIES, initial);
        FloatVector w0 = FloatVector.broadcast(SPECIES, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(SPECIES, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(SPECIES, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(SPECIES, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(SPECIES, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(SPECIES, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(SPECIES, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(SPECIES, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(SPECIES, w[wOff + 8]);
        // Offsets in locals: the loop then has no loads besides the nine taps.
        int p0 = base + o[0];
        int p1 = base + o[1];
        int p2 = base + o[2];
        int p3 = base + o[3];
        int p4 = base + o[4];
        int p5 = base + o[5];
        int p6 = base + o[6];
        int p7 = base + o[7];
        int p8 = base + o[8];
        for (int i = 0; i < count; i += VL) {
            FloatVector v = w0.fma(FloatVector.fromArray(SPECIES, padded, p0 + i), init);
            v = w1.fma(FloatVector.fromArray(SPECIES, padded, p1 + i), v);
            v = w2.fma(FloatVector.fromArray(SPECIES, padded, p2 + i), v);
            v = w3.fma(FloatVector.fromArray(SPECIES, padded, p3 + i), v);
            v = w4.fma(FloatVector.fromArray(SPECIES, padded, p4 + i), v);
            v = w5.fma(FloatVector.fromArray(SPECIES, padded, p5 + i), v);
            v = w6.fma(FloatVector.fromArray(SPECIES, padded, p6 + i), v);
            v = w7.fma(FloatVector.fromArray(SPECIES, padded, p7 + i), v);
            v = w8.fma(FloatVector.fromArray(SPECIES, padded, p8 + i), v);
            v.intoArray(acc, i);
        }
    }
}
