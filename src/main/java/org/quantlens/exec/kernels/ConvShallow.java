package org.quantlens.exec.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;

/**
 * The path of {@link ConvIm2col} for shallow convolutions: few input channels, so a short inner dimension
 * {@code K = C * kernelVolume} of at most {@value #MAX_K} (LeNet's first layer: one channel, 3x3, K = 9), stride
 * 1, dilation 1, 1-D or 2-D, one group.
 *
 * <p>With K that short a matrix product is mostly overhead: per strip of output positions its panel has to be
 * packed and every register block loads and stores its accumulators for a handful of multiply-adds. Here each
 * input channel of an image is copied once into a zero-bordered plane ({@code padLeft + W + padRight} wide, {@code
 * padTop + H + padBottom} high, one spare vector at the end), so the inputs of one output row segment under tap
 * {@code (c, kh, kw)} are one contiguous slice, read straight into a vector. Output channels go eight (then four, then one) at a
 * time: each input vector, loaded once per tap, feeds eight accumulators with the taps' weights broadcast. A row's last partial
 * vector's extra lanes read border or spare floats and are never written; the sums are clamped and stored by
 * {@link #emit}.
 *
 * <p>Arithmetic: every output is one fused multiply-add chain that starts at its bias and runs over {@code K} in
 * increasing order (input channel outer, taps inner, row-major), exactly {@link SgemmReference}'s chain over
 * {@link Im2col}'s matrix; a padded tap adds {@code w * 0} as there. So the result is bit-identical to {@link
 * ConvIm2col}'s other paths, for any thread count; the fused {@link ConvClamp} is the same max-then-min per lane.
 * Work is split over images, and over bands of output rows when there are fewer images than workers.
 */
final class ConvShallow {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Longest inner dimension taken here: beyond it, packed matrix products reuse each load better. */
    static final int MAX_K = 32;
    /** Padded planes of all channels above this many floats (256 KB a worker) go through the other paths. */
    static final int MAX_PADDED_FLOATS = 1 << 16;

    private ConvShallow() {
    }

    /**
     * True for one group, 1-D or 2-D, stride and dilation 1 everywhere, each pad at most kernel - 1, {@code K} at
     * most {@value #MAX_K}, output rows at least half a vector wide (narrower rows would waste most lanes), and
     * padded planes of at most {@value #MAX_PADDED_FLOATS} floats in all.
     */
    static boolean supports(ConvGeometry g, int channels, int group) {
        int[] k = g.kernel();
        for (int a = 0; a < 3; a++) {
            if (g.stride()[a] != 1 || g.dilation()[a] != 1 || g.padBegin()[a] > k[a] - 1 || g.padEnd()[a] > k[a] - 1) {
                return false;
            }
        }
        long plane = (long) (g.padBegin()[1] + g.in()[1] + g.padEnd()[1]) * (g.padBegin()[2] + g.in()[2]
                + g.padEnd()[2]) + VL;
        return group == 1 && k[0] == 1 && g.in()[0] == 1 && (long) channels * g.kernelVolume() <= MAX_K
                && g.out()[1] > 0 && 2 * g.out()[2] >= VL && channels * plane <= MAX_PADDED_FLOATS;
    }

    /**
     * The fixed shape of one call: {@code wp} the padded row width, {@code length} one channel's padded plane,
     * {@code tap[q]} where tap q (channel {@code q / kernelVolume}, kernel position {@code q % kernelVolume}) reads
     * relative to an output position's padded index {@code oh * wp + ow}.
     */
    record Plan(ConvGeometry g, int channels, int m, int k, int wp, int length, int[] tap, ConvClamp clamp,
                int bands) {
    }

    /** {@code y = clamp(bias + conv(x, w))} for a geometry accepted by {@link #supports}; y is written, never read. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int m, ExecContext ctx) {
        int kVol = g.kernelVolume();
        int kw = g.kernel()[2];
        int wp = g.padBegin()[2] + g.in()[2] + g.padEnd()[2];
        int length = (g.padBegin()[1] + g.in()[1] + g.padEnd()[1]) * wp + VL;
        int[] tap = new int[channels * kVol];
        for (int q = 0; q < tap.length; q++) {
            int t = q % kVol;
            tap[q] = q / kVol * length + t / kw * wp + t % kw;
        }
        int outH = g.out()[1];
        int bands = batch >= ctx.threads() ? 1 : Math.min(outH, ctx.threads());
        Plan p = new Plan(g, channels, m, tap.length, wp, length, tap, clamp, bands);
        long cost = (long) m * tap.length * g.outVolume() / bands;
        ctx.parallelFor(batch * bands, cost, (start, end) -> {
            float[] padded = KernelScratch.floats(KernelScratch.Slot.IM2COL_PLANE, channels * length);
            float[] block = newBlock();
            // Borders stay zero across this chunk's images: each image rewrites only the interior.
            Arrays.fill(padded, 0, channels * length, 0f);
            for (int task = start; task < end; task++) {
                int n = task / bands;
                int band = task % bands;
                fillPadded(p, x, n * channels * g.inVolume(), padded);
                rows(p, padded, 0, w, bias, y, n, band * outH / bands, (band + 1) * outH / bands, block);
            }
        });
    }

    /** Copies each input row of image-offset {@code xOff} into the interior of its channel's padded plane. */
    private static void fillPadded(Plan p, float[] x, int xOff, float[] padded) {
        ConvGeometry g = p.g();
        int inH = g.in()[1];
        int inW = g.in()[2];
        int lead = g.padBegin()[1] * p.wp() + g.padBegin()[2];
        for (int c = 0; c < p.channels(); c++) {
            for (int ih = 0; ih < inH; ih++) {
                System.arraycopy(x, xOff + (c * inH + ih) * inW, padded, c * p.length() + lead + ih * p.wp(), inW);
            }
        }
    }

    /**
     * Output rows {@code [oh0, oh1)} of every output channel of image n, with output row {@code firstRow} at the
     * start of {@code padded} (0: the whole padded image; {@link ConvShallowStrided} passes a band's first row);
     * {@code block} is {@link #newBlock} scratch.
     */
    static void rows(Plan p, float[] padded, int firstRow, float[] w, float[] bias, float[] y, int n, int oh0,
                     int oh1, float[] block) {
        int outW = p.g().out()[2];
        int outVol = p.g().outVolume();
        // No clamp is a clamp to [-inf, inf]: the same values, and no data-dependent branch around vector code.
        float low = p.clamp().isIdentity() ? Float.NEGATIVE_INFINITY : p.clamp().min();
        float high = p.clamp().isIdentity() ? Float.POSITIVE_INFINITY : p.clamp().max();
        for (int oh = oh0; oh < oh1; oh++) {
            for (int ow = 0; ow < outW; ow += VL) {
                int valid = Math.min(VL, outW - ow); // lanes of this vector inside the row
                int src = (oh - firstRow) * p.wp() + ow;
                int dst = n * p.m() * outVol + oh * outW + ow;
                int mm = 0;
                for (; mm + 8 <= p.m(); mm += 8) {
                    eightChannels(p, padded, src, w, bias, mm, block);
                    emit(block, 8, low, high, y, dst + mm * outVol, outVol, valid);
                }
                for (; mm + 4 <= p.m(); mm += 4) {
                    fourChannels(p, padded, src, w, bias, mm, block);
                    emit(block, 4, low, high, y, dst + mm * outVol, outVol, valid);
                }
                for (; mm < p.m(); mm++) {
                    oneChannel(p, padded, src, w, bias, mm, block);
                    emit(block, 1, low, high, y, dst + mm * outVol, outVol, valid);
                }
            }
        }
    }

    /** Scratch for {@link #rows}: the sums of one block of up to eight output channels at one vector. */
    static float[] newBlock() {
        return new float[8 * VL];
    }

    /**
     * Clamps the {@code count} vectors of {@code block} to [low, high] (max with low, then min with high, as {@link
     * ConvClamp#apply}) and stores their first {@code valid} lanes at {@code y[dst + r * stride]}.
     *
     * <p>Why the channel blocks leave their sums in {@code block} instead of clamping and storing them, and why
     * a row's last, partial vector is copied out of {@code block} rather than stored under a mask: C2 (JDK 17)
     * compiles a vector operation it cannot intrinsify as the boxed Java fallback. That happened to the clamps at the
     * end of {@link #eightChannels} (inlining budget spent), to a clamp behind a branch that was cold when the method
     * was compiled, and to every masked store (JDK 17 has no masked-store intrinsic): about 2 MB of garbage per
     * MobileNetV2 run, whose 1x1 convolutions of 16 to 32 channels come here.
     */
    private static void emit(float[] block, int count, float low, float high, float[] y, int dst, int stride,
                             int valid) {
        if (valid == VL) {
            clampStore(block, count, low, high, y, dst, stride);
        } else {
            clampStore(block, count, low, high, block, 0, VL);
            for (int r = 0; r < count; r++) {
                System.arraycopy(block, r * VL, y, dst + r * stride, valid);
            }
        }
    }

    /** {@code out[dst + r * stride ..] = clamp(block[r * VL ..])} for r < count, whole vectors (in place allowed). */
    private static void clampStore(float[] block, int count, float low, float high, float[] out, int dst,
                                   int stride) {
        FloatVector lo = FloatVector.broadcast(SPECIES, low);
        FloatVector hi = FloatVector.broadcast(SPECIES, high);
        for (int r = 0; r < count; r++) {
            FloatVector.fromArray(SPECIES, block, r * VL).lanewise(VectorOperators.MAX, lo)
                    .lanewise(VectorOperators.MIN, hi).intoArray(out, dst + r * stride);
        }
    }

    /**
     * Output channels {@code [mm, mm + 8)} at one vector of positions: eight independent chains sharing each input
     * load, enough to keep both fused multiply-add units busy despite each chain's four-cycle latency (four chains
     * ran at half that rate).
     */
    private static void eightChannels(Plan p, float[] padded, int src, float[] w, float[] bias, int mm,
                                      float[] block) {
        int k = p.k();
        int w0 = mm * k;
        FloatVector acc0 = FloatVector.broadcast(SPECIES, bias[mm]);
        FloatVector acc1 = FloatVector.broadcast(SPECIES, bias[mm + 1]);
        FloatVector acc2 = FloatVector.broadcast(SPECIES, bias[mm + 2]);
        FloatVector acc3 = FloatVector.broadcast(SPECIES, bias[mm + 3]);
        FloatVector acc4 = FloatVector.broadcast(SPECIES, bias[mm + 4]);
        FloatVector acc5 = FloatVector.broadcast(SPECIES, bias[mm + 5]);
        FloatVector acc6 = FloatVector.broadcast(SPECIES, bias[mm + 6]);
        FloatVector acc7 = FloatVector.broadcast(SPECIES, bias[mm + 7]);
        int[] tap = p.tap();
        for (int q = 0; q < k; q++) {
            FloatVector v = FloatVector.fromArray(SPECIES, padded, src + tap[q]);
            int wq = w0 + q;
            acc0 = v.fma(FloatVector.broadcast(SPECIES, w[wq]), acc0);
            acc1 = v.fma(FloatVector.broadcast(SPECIES, w[wq + k]), acc1);
            acc2 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 2 * k]), acc2);
            acc3 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 3 * k]), acc3);
            acc4 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 4 * k]), acc4);
            acc5 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 5 * k]), acc5);
            acc6 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 6 * k]), acc6);
            acc7 = v.fma(FloatVector.broadcast(SPECIES, w[wq + 7 * k]), acc7);
        }
        acc0.intoArray(block, 0);
        acc1.intoArray(block, VL);
        acc2.intoArray(block, 2 * VL);
        acc3.intoArray(block, 3 * VL);
        acc4.intoArray(block, 4 * VL);
        acc5.intoArray(block, 5 * VL);
        acc6.intoArray(block, 6 * VL);
        acc7.intoArray(block, 7 * VL);
    }

    /** Output channels {@code [mm, mm + 4)} at one vector of positions: four chains sharing each input load. */
    private static void fourChannels(Plan p, float[] padded, int src, float[] w, float[] bias, int mm,
                                     float[] block) {
        int k = p.k();
        int w0 = mm * k;
        FloatVector acc0 = FloatVector.broadcast(SPECIES, bias[mm]);
        FloatVector acc1 = FloatVector.broadcast(SPECIES, bias[mm + 1]);
        FloatVector acc2 = FloatVector.broadcast(SPECIES, bias[mm + 2]);
        FloatVector acc3 = FloatVector.broadcast(SPECIES, bias[mm + 3]);
        int[] tap = p.tap();
        for (int q = 0; q < k; q++) {
            FloatVector v = FloatVector.fromArray(SPECIES, padded, src + tap[q]);
            acc0 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + q]), acc0);
            acc1 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + k + q]), acc1);
            acc2 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + 2 * k + q]), acc2);
            acc3 = v.fma(FloatVector.broadcast(SPECIES, w[w0 + 3 * k + q]), acc3);
        }
        acc0.intoArray(block, 0);
        acc1.intoArray(block, VL);
        acc2.intoArray(block, 2 * VL);
        acc3.intoArray(block, 3 * VL);
    }

    /** Output channel mm at one vector of positions. */
    private static void oneChannel(Plan p, float[] padded, int src, float[] w, float[] bias, int mm,
                                   float[] block) {
        int k = p.k();
        FloatVector acc = FloatVector.broadcast(SPECIES, bias[mm]);
        for (int q = 0; q < k; q++) {
            acc = FloatVector.fromArray(SPECIES, padded, src + p.tap()[q])
                    .fma(FloatVector.broadcast(SPECIES, w[mm * k + q]), acc);
        }
        acc.intoArray(block, 0);
    }
}
