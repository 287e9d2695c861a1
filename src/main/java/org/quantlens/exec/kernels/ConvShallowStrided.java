package org.quantlens.exec.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;

/**
 * {@link ConvShallow} for strides of 2 (on the height axis, the width axis or both): MobileNet's first layer, 3
 * input channels, 3x3, stride 2, 224x224 to 112x112, {@code K = 27}. Without it that layer unfolds its input with
 * stride-2 picking ({@link Im2col}, {@link EvenLanes#pick}) and runs a packed matrix product over a short K.
 *
 * <p>The work is cut into bands of {@value #BAND} output rows. For a band, each input channel's rows under the band
 * are copied into a zero-bordered plane stored as its polyphase planes: cell {@code (r, c)} of the band's padded
 * plane goes to phase {@code (r mod sh, c mod sw)}, row {@code r / sh}, column {@code c / sw} (a row is
 * de-interleaved once by {@link EvenLanes#split}). Output {@code (oh, ow)} of the band then sits at index {@code
 * oh * width + ow} of phase (0, 0) and its tap {@code (c, kh, kw)} at that index plus a fixed offset, so {@link
 * ConvShallow#rows} could compute it exactly as a unit-stride window: only the outputs, vectors of consecutive
 * ones. Rows at least four vectors wide (MobileNet's 112) go through {@link #fourChannels} instead, which keeps
 * four output channels times four vectors of positions in registers: each tap's input vector and each weight
 * broadcast feed four multiply-adds instead of one or eight, so the loop is bound by the multiply-adds rather than by
 * the loads (about twice ConvShallow's rate for K = 27).
 *
 * <p>Arithmetic: {@link ConvShallow}'s, i.e. every output is one fused multiply-add chain from its bias over
 * {@code K} in increasing order (input channel outer, taps inner, row-major), a padded tap adding {@code w * 0}:
 * exactly {@link SgemmReference}'s chain over {@link Im2col}'s matrix, so bit-identical to {@link ConvIm2col}'s
 * other paths for any thread count; the fused {@link ConvClamp} is the same max-then-min per lane.
 */
final class ConvShallowStrided {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Output positions per block of {@link #fourChannels}: four vectors. */
    private static final int BLOCK = 4 * VL;
    /** Output rows per band: a band's planes (3 channels of a 224-wide input: about 50 KB) stay in cache. */
    static final int BAND = 8;

    private ConvShallowStrided() {
    }

    /**
     * True for one group, 1-D or 2-D, strides of 1 or 2 that are not both 1 (those are {@link ConvShallow}'s),
     * dilation 1, each pad at most kernel - 1, {@code K} at most {@link ConvShallow#MAX_K}, and output rows at least
     * half a vector wide (narrower rows would waste most lanes).
     */
    static boolean supports(ConvGeometry g, int channels, int group) {
        int[] k = g.kernel();
        int[] s = g.stride();
        for (int a = 0; a < 3; a++) {
            if (g.dilation()[a] != 1 || g.padBegin()[a] > k[a] - 1 || g.padEnd()[a] > k[a] - 1) {
                return false;
            }
        }
        boolean strides = s[0] == 1 && s[1] <= 2 && s[2] <= 2 && s[1] * s[2] > 1;
        return strides && group == 1 && k[0] == 1 && g.in()[0] == 1
                && (long) channels * g.kernelVolume() <= ConvShallow.MAX_K && g.out()[1] > 0 && 2 * g.out()[2] >= VL;
    }

    /**
     * The band storage: {@code fullWidth} columns of the padded plane cover every tap; each phase holds
     * {@code phaseRows} rows of {@code width} cells, {@code phaseSize} floats; a channel is {@code sh * sw}
     * phases. {@code plan} is the {@link ConvShallow} plan whose taps index this storage.
     */
    private record Bands(ConvShallow.Plan plan, int fullWidth, int width, int phaseSize, int bufferSize) {
        static Bands of(ConvGeometry g, int channels, int m, ConvClamp clamp) {
            int[] k = g.kernel();
            int[] s = g.stride();
            int fullWidth = (g.out()[2] - 1) * s[2] + k[2];
            int width = (fullWidth + s[2] - 1) / s[2];
            int bandRows = (BAND - 1) * s[1] + k[1];
            int phaseSize = (bandRows + s[1] - 1) / s[1] * width;
            int length = s[1] * s[2] * phaseSize;
            int kVol = g.kernelVolume();
            int[] tap = new int[channels * kVol];
            for (int q = 0; q < tap.length; q++) {
                int t = q % kVol;
                tap[q] = q / kVol * length + cell(t / k[2], t % k[2], s, width, phaseSize);
            }
            ConvShallow.Plan plan = new ConvShallow.Plan(g, channels, m, tap.length, width, length, tap, clamp, 1);
            // A vector of slack: the lanes past a row's last output read up to a vector beyond the last phase.
            return new Bands(plan, fullWidth, width, phaseSize, channels * length + VL);
        }

        private static int cell(int r, int c, int[] s, int width, int phaseSize) {
            return ((r % s[1]) * s[2] + c % s[2]) * phaseSize + (r / s[1]) * width + c / s[2];
        }

        int cell(int r, int c) {
            return cell(r, c, plan.g().stride(), width, phaseSize);
        }
    }

    /** {@code y = clamp(bias + conv(x, w))} for a geometry accepted by {@link #supports}; y is written, never read. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int m, ExecContext ctx) {
        Bands b = Bands.of(g, channels, m, clamp);
        int outH = g.out()[1];
        int bands = (outH + BAND - 1) / BAND;
        long cost = (long) m * b.plan().k() * BAND * g.out()[2];
        ctx.parallelFor(batch * bands, cost, (start, end) -> {
            float[] buffer = KernelScratch.floats(KernelScratch.Slot.IM2COL_PLANE, b.bufferSize());
            // Border columns are never written, so one fill per chunk keeps them zero; see fillBand for rows.
            Arrays.fill(buffer, 0, b.bufferSize(), 0f);
            float[] block = ConvShallow.newBlock();
            for (int task = start; task < end; task++) {
                int n = task / bands;
                int oh0 = task % bands * BAND;
                int oh1 = Math.min(outH, oh0 + BAND);
                fillBand(b, x, n * channels * g.inVolume(), oh0, oh1, buffer);
                bandRows(b.plan(), buffer, oh0, oh1, w, bias, y, n, block);
            }
        });
    }

    /**
     * Output rows {@code [oh0, oh1)} of image n from the band stored in {@code buffer}: blocks of four vectors of
     * positions per row (a row that is not a whole number of blocks ends with a block overlapping the one before,
     * whose outputs are rewritten with the same bits), output channels four at a time, then one at a time.
     */
    private static void bandRows(ConvShallow.Plan p, float[] buffer, int oh0, int oh1, float[] w, float[] bias,
                                 float[] y, int n, float[] block) {
        int outW = p.g().out()[2];
        if (outW < BLOCK) {
            ConvShallow.rows(p, buffer, oh0, w, bias, y, n, oh0, oh1, block);
            return;
        }
        int outVol = p.g().outVolume();
        for (int oh = oh0; oh < oh1; oh++) {
            for (int i = 0; i < outW; i += BLOCK) {
                int ow = Math.min(i, outW - BLOCK);
                int src = (oh - oh0) * p.wp() + ow;
                int dst = n * p.m() * outVol + oh * outW + ow;
                int mm = 0;
                for (; mm + 4 <= p.m(); mm += 4) {
                    fourChannels(p, buffer, src, w, bias, mm, y, dst + mm * outVol, outVol);
                }
                for (; mm < p.m(); mm++) {
                    oneChannel(p, buffer, src, w, bias, mm, y, dst + mm * outVol);
                }
            }
        }
    }

    /**
     * Output channels {@code [mm, mm + 4)} at four vectors of positions from {@code src}: sixteen independent
     * chains, each {@code bias, +w[q] * x[q]} over q in increasing order, clamped and stored once.
     */
    private static void fourChannels(ConvShallow.Plan p, float[] buffer, int src, float[] w, float[] bias, int mm,
                                     float[] y, int dst, int outVol) {
        int k = p.k();
        int[] tap = p.tap();
        // Clamped and stored here: a vector handed to a helper method is boxed unless that call is inlined.
        boolean clamped = !p.clamp().isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, p.clamp().min());
        FloatVector high = FloatVector.broadcast(SPECIES, p.clamp().max());
        FloatVector a0 = FloatVector.broadcast(SPECIES, bias[mm]);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = FloatVector.broadcast(SPECIES, bias[mm + 1]);
        FloatVector b1 = b0;
        FloatVector b2 = b0;
        FloatVector b3 = b0;
        FloatVector c0 = FloatVector.broadcast(SPECIES, bias[mm + 2]);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector d0 = FloatVector.broadcast(SPECIES, bias[mm + 3]);
        FloatVector d1 = d0;
        FloatVector d2 = d0;
        FloatVector d3 = d0;
        int wa = mm * k;
        for (int q = 0; q < k; q++) {
            int at = src + tap[q];
            FloatVector x0 = FloatVector.fromArray(SPECIES, buffer, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, buffer, at + VL);
            FloatVector x2 = FloatVector.fromArray(SPECIES, buffer, at + 2 * VL);
            FloatVector x3 = FloatVector.fromArray(SPECIES, buffer, at + 3 * VL);
            FloatVector wq = FloatVector.broadcast(SPECIES, w[wa + q]);
            a0 = x0.fma(wq, a0);
            a1 = x1.fma(wq, a1);
            a2 = x2.fma(wq, a2);
            a3 = x3.fma(wq, a3);
            wq = FloatVector.broadcast(SPECIES, w[wa + k + q]);
            b0 = x0.fma(wq, b0);
            b1 = x1.fma(wq, b1);
            b2 = x2.fma(wq, b2);
            b3 = x3.fma(wq, b3);
            wq = FloatVector.broadcast(SPECIES, w[wa + 2 * k + q]);
            c0 = x0.fma(wq, c0);
            c1 = x1.fma(wq, c1);
            c2 = x2.fma(wq, c2);
            c3 = x3.fma(wq, c3);
            wq = FloatVector.broadcast(SPECIES, w[wa + 3 * k + q]);
            d0 = x0.fma(wq, d0);
            d1 = x1.fma(wq, d1);
            d2 = x2.fma(wq, d2);
            d3 = x3.fma(wq, d3);
        }
        a0 = clamped ? a0.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a0;
        a0.intoArray(y, dst);
        a1 = clamped ? a1.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a1;
        a1.intoArray(y, dst + VL);
        a2 = clamped ? a2.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a2;
        a2.intoArray(y, dst + 2 * VL);
        a3 = clamped ? a3.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a3;
        a3.intoArray(y, dst + 3 * VL);
        b0 = clamped ? b0.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : b0;
        b0.intoArray(y, dst + outVol);
        b1 = clamped ? b1.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : b1;
        b1.intoArray(y, dst + outVol + VL);
        b2 = clamped ? b2.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : b2;
        b2.intoArray(y, dst + outVol + 2 * VL);
        b3 = clamped ? b3.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : b3;
        b3.intoArray(y, dst + outVol + 3 * VL);
        c0 = clamped ? c0.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : c0;
        c0.intoArray(y, dst + 2 * outVol);
        c1 = clamped ? c1.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : c1;
        c1.intoArray(y, dst + 2 * outVol + VL);
        c2 = clamped ? c2.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : c2;
        c2.intoArray(y, dst + 2 * outVol + 2 * VL);
        c3 = clamped ? c3.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : c3;
        c3.intoArray(y, dst + 2 * outVol + 3 * VL);
        d0 = clamped ? d0.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : d0;
        d0.intoArray(y, dst + 3 * outVol);
        d1 = clamped ? d1.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : d1;
        d1.intoArray(y, dst + 3 * outVol + VL);
        d2 = clamped ? d2.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : d2;
        d2.intoArray(y, dst + 3 * outVol + 2 * VL);
        d3 = clamped ? d3.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : d3;
        d3.intoArray(y, dst + 3 * outVol + 3 * VL);
    }

    /** Output channel mm at four vectors of positions from {@code src} (the channels left over by fours). */
    private static void oneChannel(ConvShallow.Plan p, float[] buffer, int src, float[] w, float[] bias, int mm,
                                   float[] y, int dst) {
        int k = p.k();
        int[] tap = p.tap();
        // Clamped and stored here: a vector handed to a helper method is boxed unless that call is inlined.
        boolean clamped = !p.clamp().isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, p.clamp().min());
        FloatVector high = FloatVector.broadcast(SPECIES, p.clamp().max());
        FloatVector a0 = FloatVector.broadcast(SPECIES, bias[mm]);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int q = 0; q < k; q++) {
            int at = src + tap[q];
            FloatVector wq = FloatVector.broadcast(SPECIES, w[mm * k + q]);
            a0 = FloatVector.fromArray(SPECIES, buffer, at).fma(wq, a0);
            a1 = FloatVector.fromArray(SPECIES, buffer, at + VL).fma(wq, a1);
            a2 = FloatVector.fromArray(SPECIES, buffer, at + 2 * VL).fma(wq, a2);
            a3 = FloatVector.fromArray(SPECIES, buffer, at + 3 * VL).fma(wq, a3);
        }
        a0 = clamped ? a0.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a0;
        a0.intoArray(y, dst);
        a1 = clamped ? a1.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a1;
        a1.intoArray(y, dst + VL);
        a2 = clamped ? a2.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a2;
        a2.intoArray(y, dst + 2 * VL);
        a3 = clamped ? a3.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high) : a3;
        a3.intoArray(y, dst + 3 * VL);
    }

    /**
     * Stores the padded rows under output rows {@code [oh0, oh1)} of every channel of the image at {@code xOff}:
     * rows over the input get their interior columns copied, rows in the top or bottom padding get those columns
     * zeroed (an earlier band may have left data there); other cells are never written.
     */
    private static void fillBand(Bands b, float[] x, int xOff, int oh0, int oh1, float[] buffer) {
        ConvGeometry g = b.plan().g();
        int sh = g.stride()[1];
        int inH = g.in()[1];
        int inW = g.in()[2];
        int padLeft = g.padBegin()[2];
        int lo = padLeft;
        int hi = Math.min(b.fullWidth(), padLeft + inW);
        if (hi <= lo) {
            return;
        }
        int rows = (oh1 - oh0 - 1) * sh + g.kernel()[1];
        for (int c = 0; c < b.plan().channels(); c++) {
            int channel = c * b.plan().length();
            for (int r = 0; r < rows; r++) {
                int ih = oh0 * sh + r - g.padBegin()[1];
                if (ih < 0 || ih >= inH) {
                    for (int col = lo; col < hi; col++) {
                        buffer[channel + b.cell(r, col)] = 0f;
                    }
                } else {
                    copyRow(b, x, xOff + (c * inH + ih) * inW, buffer, channel, r, lo, hi);
                }
            }
        }
    }

    /** Padded columns {@code [lo, hi)} of band row r, read from {@code x[src...]}, to their phases. */
    private static void copyRow(Bands b, float[] x, int src, float[] buffer, int channel, int r, int lo, int hi) {
        if (b.plan().g().stride()[2] == 1) {
            System.arraycopy(x, src, buffer, channel + b.cell(r, lo), hi - lo);
            return;
        }
        int pairs = (hi - lo) / 2;
        EvenLanes.split(x, src, pairs, buffer, channel + b.cell(r, lo), buffer, channel + b.cell(r, lo + 1), false);
        if ((hi - lo) % 2 != 0) {
            buffer[channel + b.cell(r, hi - 1)] = x[src + hi - 1 - lo];
        }
    }
}
