package org.quantlens.exec.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.kernels.SgemmBlocks.Rows;

/**
 * The small-plane path of {@link ConvIm2col}: a stride-1, dilation-1, 1-D or 2-D convolution with more than one
 * input channel per group (or one group), computed without an im2col matrix.
 *
 * <p>Layout ("flattened padded"): for a block of images, each input channel is copied once into a zero-bordered
 * plane {@code Wp = W + max(padLeft, padRight)} wide, and the images are laid end to end {@code H + max(padTop,
 * padBottom)} rows apart (one zero border is shared between neighbours, left/right and top/bottom). Output
 * position {@code (image i, oh, ow)} is column {@code j = i * imageStride + oh * Wp + ow} of a product at padded
 * width, and its tap {@code (c, kh, kw)} reads the padded array at {@code j + kh * Wp + kw}: every row of the
 * unfolded matrix is one contiguous slice of the padded array. A padded tap reads a zero of the border (it adds
 * {@code w * 0}, as {@link Im2col}'s zeros do). The columns that fall on the border (about {@code 1 - outW / Wp}
 * of them) are computed and dropped when the result is copied into Y.
 *
 * <p>The matrix product is {@link Sgemm}'s register blocking ({@link SgemmBlocks}) with its own packing: each
 * {@code K x 2 vectors} panel of B is gathered straight from the padded planes (one slice per kernel row).
 * Arithmetic: every output is one fused multiply-add chain that starts at its bias and runs over {@code K = C/group
 * * kernelVolume} in increasing order (input channel outer, taps inner, row-major), exactly {@link
 * SgemmReference}'s chain over {@link Im2col}'s matrix, so the result is bit-identical to {@link ConvIm2col}'s
 * other paths for any block size and thread count. A fused {@link ConvClamp} is applied while copying into Y.
 */
final class ConvFlatPadded {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Columns of one B panel: two vectors, the micro-kernels' width. */
    private static final int STRIP = 2 * VL;
    /** K panel depth, as {@link Sgemm}'s: a panel of {@code KC x STRIP} floats stays in L1. */
    private static final int KC = 256;
    /** Padded columns per image block aimed at: enough to amortise the packing, small enough for L2. */
    private static final int BLOCK_COLUMNS = 320;
    /** Padded planes larger than this go through {@link Im2col} tiles instead. */
    static final int MAX_PADDED_PLANE = 1024;

    private ConvFlatPadded() {
    }

    /**
     * True when this path applies: 1-D or 2-D, stride 1 and dilation 1 on every axis, each pad at most kernel - 1
     * (so every output reads at least one input, and shared borders suffice), not 1x1 unpadded (multiplied in
     * place elsewhere), and a padded plane of at most {@value #MAX_PADDED_PLANE} floats.
     */
    static boolean supports(ConvGeometry g) {
        int[] k = g.kernel();
        for (int a = 0; a < 3; a++) {
            if (g.stride()[a] != 1 || g.dilation()[a] != 1 || g.padBegin()[a] > k[a] - 1 || g.padEnd()[a] > k[a] - 1) {
                return false;
            }
        }
        boolean pointwise = k[1] == 1 && k[2] == 1 && g.padBegin()[1] + g.padEnd()[1] + g.padBegin()[2]
                + g.padEnd()[2] == 0;
        return k[0] == 1 && g.in()[0] == 1 && !pointwise && g.out()[1] > 0 && g.out()[2] > 0
                && (long) rowsPerImage(g) * paddedWidth(g) <= MAX_PADDED_PLANE;
    }

    private static int paddedWidth(ConvGeometry g) {
        return g.in()[2] + Math.max(g.padBegin()[2], g.padEnd()[2]);
    }

    private static int rowsPerImage(ConvGeometry g) {
        return g.in()[1] + Math.max(g.padBegin()[1], g.padEnd()[1]);
    }

    /** The fixed shape of one call. */
    private record Plan(ConvGeometry g, int k, int channels, int cPerGroup, int m, int mPerGroup, int group,
                        ConvClamp clamp, int batch, int images, int wp, int imageStride, int lead, int[] tapOffset) {
        /** Columns of a block of {@code count} images: up to the last real output, rounded up to whole strips. */
        int columns(int count) {
            int last = (count - 1) * imageStride + (g.out()[1] - 1) * wp + g.out()[2];
            return (last + STRIP - 1) / STRIP * STRIP;
        }

        /** Floats of one channel's padded array: every slice read by every tap of every column fits. */
        int channelLength(int count) {
            return Math.max(columns(count) + tapOffset[tapOffset.length - 1], lead + count * imageStride);
        }
    }

    /** {@code y = clamp(bias + conv(x, w))} for a geometry accepted by {@link #supports}; y is written, never read. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int m, int group, ExecContext ctx) {
        int cPerGroup = channels / group;
        int mPerGroup = m / group;
        int kVol = g.kernelVolume();
        int wp = paddedWidth(g);
        int imageStride = rowsPerImage(g) * wp;
        int[] tapOffset = new int[kVol];
        for (int t = 0; t < kVol; t++) {
            tapOffset[t] = (t / g.kernel()[2]) * wp + t % g.kernel()[2];
        }
        int images = Math.max(1, Math.min(batch, (BLOCK_COLUMNS + imageStride / 2) / imageStride));
        Plan p = new Plan(g, cPerGroup * kVol, channels, cPerGroup, m, mPerGroup, group, clamp, batch, images, wp,
                imageStride, g.padBegin()[1] * wp + g.padBegin()[2], tapOffset);
        int baseTasks = (batch + images - 1) / images * group;
        int blocks = Math.max(1, Math.min((mPerGroup + 15) / 16, (ctx.threads() + baseTasks - 1) / baseTasks));
        int rowsPerBlock = ((mPerGroup + blocks - 1) / blocks + 3) / 4 * 4;
        int blockCount = (mPerGroup + rowsPerBlock - 1) / rowsPerBlock;
        long cost = (long) rowsPerBlock * p.k() * p.columns(images);
        ctx.parallelFor(baseTasks * blockCount, cost, (start, end) -> {
            for (int task = start; task < end; task++) {
                int r0 = task % blockCount * rowsPerBlock;
                int ng = task / blockCount;
                imageBlock(p, x, w, bias, y, ng / group, ng % group, r0, Math.min(mPerGroup, r0 + rowsPerBlock) - r0);
            }
        });
    }

    /** Output rows {@code [r0, r0 + rows)} of group {@code gi} for the images of block {@code b}. */
    private static void imageBlock(Plan p, float[] x, float[] w, float[] bias, float[] y, int b, int gi, int r0,
                                   int rows) {
        int n0 = b * p.images();
        int count = Math.min(p.batch(), n0 + p.images()) - n0;
        int length = p.channelLength(count);
        float[] padded = KernelScratch.floats(KernelScratch.Slot.IM2COL, p.cPerGroup() * length);
        fillPadded(p, x, n0, count, gi, padded, length);
        int columns = p.columns(count);
        // One spare vector: the copy into Y reads whole vectors past the last real column.
        float[] tile = KernelScratch.floats(KernelScratch.Slot.CONV_TILE, rows * columns + VL);
        int firstRow = gi * p.mPerGroup() + r0;
        multiply(p, w, bias, firstRow, rows, padded, length, tile, columns);
        copyOut(p, tile, columns, y, n0, count, firstRow, rows);
    }

    /** Zeroes the channels' padded arrays and copies the images' rows in. */
    private static void fillPadded(Plan p, float[] x, int n0, int count, int gi, float[] padded, int length) {
        ConvGeometry g = p.g();
        int inH = g.in()[1];
        int inW = g.in()[2];
        int inVol = g.inVolume();
        Arrays.fill(padded, 0, p.cPerGroup() * length, 0f);
        for (int c = 0; c < p.cPerGroup(); c++) {
            for (int i = 0; i < count; i++) {
                int src = ((n0 + i) * p.channels() + gi * p.cPerGroup() + c) * inVol;
                int dst = c * length + p.lead() + i * p.imageStride();
                for (int ih = 0; ih < inH; ih++) {
                    System.arraycopy(x, src + ih * inW, padded, dst + ih * p.wp(), inW);
                }
            }
        }
    }

    /**
     * {@code tile = bias + W_rows * B} where row {@code q = c * kernelVolume + t} of B is the slice of channel c's
     * padded array starting at tap t's offset: Sgemm's K panels and register blocks, B packed strip by strip.
     */
    private static void multiply(Plan p, float[] w, float[] bias, int firstRow, int rows, float[] padded, int length,
                                 float[] tile, int columns) {
        int k = p.k();
        int kVol = p.tapOffset().length;
        float[] panel = KernelScratch.floats(KernelScratch.Slot.SGEMM_PANEL, Math.min(KC, k) * STRIP);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            Rows a = new Rows(w, firstRow * k + p0, k, p0 == 0 ? bias : null, firstRow);
            for (int j = 0; j < columns; j += STRIP) {
                for (int q = 0; q < kc; q++) {
                    int row = p0 + q;
                    int src = row / kVol * length + p.tapOffset()[row % kVol] + j;
                    FloatVector.fromArray(SPECIES, padded, src).intoArray(panel, q * STRIP);
                    FloatVector.fromArray(SPECIES, padded, src + VL).intoArray(panel, q * STRIP + VL);
                }
                rowBlocks(kc, a, rows, panel, tile, j, columns);
            }
        }
    }

    /** All rows of one strip, twelve (AVX-512 only), six, four, then one at a time, as {@link Sgemm} does. */
    private static void rowBlocks(int kc, Rows a, int rows, float[] panel, float[] tile, int j, int ldc) {
        int i = 0;
        if (VL >= 16 && kc >= 32) {
            for (; rows - i >= 12; i += 12) {
                SgemmBlocks.block12x2(kc, a, i, panel, 0, STRIP, tile, i * ldc + j, ldc);
            }
        }
        // Two leftover rows run better as part of two four-row blocks than as two single rows.
        int sixes = (rows - i) / 6;
        if ((rows - i) % 6 == 2 && sixes > 0) {
            sixes--;
        }
        for (int end = i + 6 * sixes; i < end; i += 6) {
            SgemmBlocks.block6x2(kc, a, i, panel, 0, STRIP, tile, i * ldc + j, ldc);
        }
        for (; i + 4 <= rows; i += 4) {
            SgemmBlocks.block4x2(kc, a, i, panel, 0, STRIP, tile, i * ldc + j, ldc);
        }
        for (; i < rows; i++) {
            SgemmBlocks.block1x2(kc, a, i, panel, 0, STRIP, tile, i * ldc + j);
        }
    }

    /**
     * Copies the real columns into Y, clamped. For one image the planes of rows {@code [firstRow, firstRow + rows)}
     * are one contiguous run of Y, written row by row in whole vectors: a vector that runs past its output row
     * writes values that the following rows overwrite, so only where a vector would run past the end of the run
     * (the next run may belong to another worker) are the last floats written one at a time.
     */
    private static void copyOut(Plan p, float[] tile, int columns, float[] y, int n0, int count, int firstRow,
                                int rows) {
        ConvGeometry g = p.g();
        int outH = g.out()[1];
        int outW = g.out()[2];
        int outVol = g.outVolume();
        ConvClamp clamp = p.clamp();
        boolean clamped = !clamp.isIdentity();
        FloatVector low = FloatVector.broadcast(SPECIES, clamp.min());
        FloatVector high = FloatVector.broadcast(SPECIES, clamp.max());
        for (int i = 0; i < count; i++) {
            int dst = ((n0 + i) * p.m() + firstRow) * outVol;
            int runEnd = dst + rows * outVol;
            for (int r = 0; r < rows; r++) {
                for (int oh = 0; oh < outH; oh++, dst += outW) {
                    int src = r * columns + i * p.imageStride() + oh * p.wp();
                    int ow = 0;
                    for (; ow < outW && dst + ow + VL <= runEnd; ow += VL) {
                        FloatVector v = FloatVector.fromArray(SPECIES, tile, src + ow);
                        if (clamped) {
                            v = v.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high);
                        }
                        v.intoArray(y, dst + ow);
                    }
                    for (; ow < outW; ow++) {
                        y[dst + ow] = Math.min(clamp.max(), Math.max(tile[src + ow], clamp.min()));
                    }
                }
            }
        }
    }
}
