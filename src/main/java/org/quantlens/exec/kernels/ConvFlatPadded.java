package org.quantlens.exec.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.kernels.SgemmBlocks.Rows;

/**
 * The small-plane path of {@link ConvIm2col}: a stride-1, dilation-1, 1-D or 2-D convolution computed without an
 * im2col matrix.
 *
 * <p>Each input channel of an image is copied once into a zero-bordered plane {@code Wp = W + max(padLeft,
 * padRight)} wide with {@code max(padTop, padBottom)} zero rows below (one border serves as the right border of a
 * row and the left border of the next, as in {@link ConvDepthwise2d}'s planes). Output {@code (oh, ow)}'s tap
 * {@code (c, kh, kw)} then reads channel c's padded plane at {@code oh * Wp + ow + kh * Wp + kw}, so the inputs of
 * one output row under one tap are one contiguous slice, and a padded tap reads a zero of the border (it adds
 * {@code w * 0}, as {@link Im2col}'s zeros do).
 *
 * <p>The matrix product is {@link Sgemm}'s register blocking ({@link SgemmBlocks}) with its own packing: the output
 * plane is cut into strips of two vectors of consecutive output positions, and each {@code K x strip} panel of B is
 * gathered straight from the padded planes, one slice per output row in the strip. No junk columns are computed
 * (LeNet's 8-wide rows would waste a fifth of the multiply at padded width), and the blocks write each strip
 * straight into Y (a last partial strip goes through a small tile); the fused {@link ConvClamp} runs over each
 * image's rows while they are in cache. Work is split over images and groups; with fewer of those than workers
 * (batch 1), over chunks of strips, then output channels.
 *
 * <p>Arithmetic: every output is one fused multiply-add chain that starts at its bias and runs over {@code K =
 * C/group * kernelVolume} in increasing order (input channel outer, taps inner, row-major), exactly {@link
 * SgemmReference}'s chain over {@link Im2col}'s matrix, so the result is bit-identical to {@link ConvIm2col}'s other
 * paths for any thread count.
 */
final class ConvFlatPadded {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Columns of one B panel: two vectors, the micro-kernels' width. */
    private static final int STRIP = 2 * VL;
    /** K panel depth, as {@link Sgemm}'s: a panel of {@code KC x STRIP} floats stays in L1. */
    private static final int KC = 256;
    /** Padded planes larger than this (about 126 x 126) go through {@link Im2col} tiles instead. */
    static final int MAX_PADDED_PLANE = 1 << 14;
    /** A group's padded planes above this many floats (4 MB of scratch per worker) go through {@link Im2col}. */
    static final int MAX_PADDED_FLOATS = 1 << 20;
    /** Weights of one group above this many floats (256 KB) go through {@link Im2col} tiles instead. */
    static final int MAX_GROUP_WEIGHTS = 1 << 16;

    private ConvFlatPadded() {
    }

    /**
     * True when this path applies: 1-D or 2-D, stride 1 and dilation 1 on every axis, each pad at most kernel - 1
     * (so the shared borders suffice), not 1x1 unpadded (multiplied in place elsewhere), a padded plane of at most
     * {@value #MAX_PADDED_PLANE} floats ({@value #MAX_PADDED_FLOATS} for all channels of a group), and a group's
     * weights of at most {@value #MAX_GROUP_WEIGHTS} floats: every strip walks all of them, so they must stay in
     * cache (im2col tiles walk them once per K panel instead).
     */
    static boolean supports(ConvGeometry g, int cPerGroup, int mPerGroup) {
        int[] k = g.kernel();
        for (int a = 0; a < 3; a++) {
            if (g.stride()[a] != 1 || g.dilation()[a] != 1 || g.padBegin()[a] > k[a] - 1 || g.padEnd()[a] > k[a] - 1) {
                return false;
            }
        }
        boolean pointwise = k[1] == 1 && k[2] == 1 && g.padBegin()[1] + g.padEnd()[1] + g.padBegin()[2]
                + g.padEnd()[2] == 0;
        return k[0] == 1 && g.in()[0] == 1 && !pointwise && g.out()[1] > 0 && g.out()[2] > 0
                && plane(g) <= MAX_PADDED_PLANE && cPerGroup * plane(g) <= MAX_PADDED_FLOATS
                && (long) cPerGroup * g.kernelVolume() * mPerGroup <= MAX_GROUP_WEIGHTS;
    }

    /** Upper bound of one channel's padded plane, in floats (see {@link #run} for the exact length). */
    private static long plane(ConvGeometry g) {
        return (long) (g.in()[1] + 2 * Math.max(g.padBegin()[1], g.padEnd()[1]) + 1)
                * (g.in()[2] + Math.max(g.padBegin()[2], g.padEnd()[2])) + VL;
    }

    /**
     * The fixed shape of one call: {@code wp} the padded width, {@code lead} the padded index of input (0, 0),
     * {@code length} the floats of one channel's padded plane (every slice any strip reads, plus a vector),
     * {@code rowStart[q]} where row q of B (channel {@code q / kernelVolume}, tap {@code q % kernelVolume}) starts in
     * the channels' padded planes.
     */
    private record Plan(ConvGeometry g, int k, int channels, int cPerGroup, int m, int mPerGroup, int group,
                        ConvClamp clamp, int wp, int lead, int length, int[] rowStart) {
    }

    /** {@code y = clamp(bias + conv(x, w))} for a geometry accepted by {@link #supports}; y is written, never read. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int m, int group, ExecContext ctx) {
        int cPerGroup = channels / group;
        int mPerGroup = m / group;
        int kVol = g.kernelVolume();
        int wp = g.in()[2] + Math.max(g.padBegin()[2], g.padEnd()[2]);
        // Rows: the top border, the input, the bottom border; slices start at most (outH - 1) * wp + outW - 1
        // plus the last tap's offset and run one vector long.
        int length = (g.padBegin()[1] + g.in()[1] + Math.max(g.padBegin()[1], g.padEnd()[1]) + 1) * wp + VL;
        int[] rowStart = new int[cPerGroup * kVol];
        for (int q = 0; q < rowStart.length; q++) {
            int t = q % kVol;
            rowStart[q] = q / kVol * length + t / g.kernel()[2] * wp + t % g.kernel()[2];
        }
        Plan p = new Plan(g, cPerGroup * kVol, channels, cPerGroup, m, mPerGroup, group, clamp, wp,
                g.padBegin()[1] * wp + g.padBegin()[2], length, rowStart);
        // Fewer images x groups than workers (batch 1): split each plane's strips between them (each chunk copies
        // the padded planes itself), and output channels too when there are fewer strips than workers.
        int baseTasks = batch * group;
        int strips = (g.outVolume() + STRIP - 1) / STRIP;
        int need = (ctx.threads() + baseTasks - 1) / baseTasks;
        int chunks = Math.min(strips, need);
        int blocks = Math.max(1, Math.min((mPerGroup + 15) / 16, (need + chunks - 1) / chunks));
        int rowsPerBlock = ((mPerGroup + blocks - 1) / blocks + 3) / 4 * 4;
        int blockCount = (mPerGroup + rowsPerBlock - 1) / rowsPerBlock;
        long cost = (long) rowsPerBlock * p.k() * Math.min(g.outVolume(), (strips + chunks - 1) / chunks * STRIP);
        ctx.parallelFor(baseTasks * chunks * blockCount, cost, (start, end) -> {
            for (int task = start; task < end; task++) {
                int r0 = task % blockCount * rowsPerBlock;
                int chunk = task / blockCount % chunks;
                int ng = task / blockCount / chunks;
                image(p, x, w, bias, y, ng / group, ng % group, r0, Math.min(mPerGroup, r0 + rowsPerBlock) - r0,
                        chunk * strips / chunks * STRIP, (chunk + 1) * strips / chunks * STRIP, task == start);
            }
        });
    }

    /**
     * Output rows {@code [r0, r0 + rows)} of group {@code gi} of image n, output positions {@code [j0, j1)} (whole
     * strips; j1 may pass the plane's end). The padded planes are zeroed only for the first task of a worker's range
     * ({@code zero}): later tasks of the same call rewrite the same interior cells.
     */
    private static void image(Plan p, float[] x, float[] w, float[] bias, float[] y, int n, int gi, int r0,
                              int rows, int j0, int j1, boolean zero) {
        int outVol = p.g().outVolume();
        float[] padded = KernelScratch.floats(KernelScratch.Slot.IM2COL, p.cPerGroup() * p.length());
        if (zero) {
            Arrays.fill(padded, 0, p.cPerGroup() * p.length(), 0f);
        }
        fillPadded(p, x, (n * p.channels() + gi * p.cPerGroup()) * p.g().inVolume(), padded);
        float[] panel = KernelScratch.floats(KernelScratch.Slot.SGEMM_PANEL, Math.min(KC, p.k()) * STRIP + VL);
        // The strip's runs of positions in one output row: runs[2r] is the first column, runs[2r + 1] its padded
        // offset; runs[2 * count] is the strip width.
        int[] runs = new int[2 * STRIP + 1];
        int outW = p.g().out()[2];
        int firstRow = gi * p.mPerGroup() + r0;
        int yOff = (n * p.m() + firstRow) * outVol;
        int end = Math.min(outVol, j1);
        for (int j = j0; j < end; j += STRIP) {
            int width = Math.min(STRIP, outVol - j);
            int count = 0;
            for (int col = 0; col < width; col += outW - (j + col) % outW, count++) {
                runs[2 * count] = col;
                runs[2 * count + 1] = (j + col) / outW * p.wp() + (j + col) % outW;
            }
            runs[2 * count] = width;
            if (width == STRIP) {
                strip(p, w, bias, firstRow, rows, padded, panel, runs, width, y, yOff + j, outVol);
            } else {
                float[] tile = KernelScratch.floats(KernelScratch.Slot.CONV_TILE, rows * STRIP);
                strip(p, w, bias, firstRow, rows, padded, panel, runs, width, tile, 0, STRIP);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tile, r * STRIP, y, yOff + r * outVol + j, width);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            p.clamp().apply(y, yOff + r * outVol + j0, end - j0);
        }
    }

    /**
     * Copies the image's rows into the channels' zero-bordered planes, a vector at a time in increasing order: the
     * lanes of a row's last vector past the row are written as zeros, which either are border or will be
     * overwritten by the next row (System.arraycopy of 8 floats cost more than the whole vector copy). A vector that
     * would read past the end of X goes one float at a time.
     */
    private static void fillPadded(Plan p, float[] x, int xOff, float[] padded) {
        int inH = p.g().in()[1];
        int inW = p.g().in()[2];
        VectorMask<Float> lastLanes = SPECIES.indexInRange(0, inW % VL == 0 ? VL : inW % VL);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int c = 0; c < p.cPerGroup(); c++) {
            int plane = xOff + c * p.g().inVolume();
            for (int ih = 0; ih < inH; ih++) {
                int src = plane + ih * inW;
                int dst = c * p.length() + p.lead() + ih * p.wp();
                int t = 0;
                for (; t + VL < inW; t += VL) {
                    FloatVector.fromArray(SPECIES, x, src + t).intoArray(padded, dst + t);
                }
                if (src + t + VL <= x.length) {
                    FloatVector.fromArray(SPECIES, x, src + t).blend(zero, lastLanes.not()).intoArray(padded, dst + t);
                } else {
                    System.arraycopy(x, src + t, padded, dst + t, inW - t);
                }
            }
        }
    }

    /**
     * {@code c = bias + W_rows * B} for one strip of {@code width} output positions (its runs as {@link #image}
     * lists them), B read from the padded planes; K panels of {@value #KC}.
     */
    private static void strip(Plan p, float[] w, float[] bias, int firstRow, int rows, float[] padded,
                              float[] panel, int[] runs, int width, float[] c, int cOff, int ldc) {
        int k = p.k();
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            pack(p, p0, kc, padded, runs, width, panel);
            Rows a = new Rows(w, firstRow * k + p0, k, p0 == 0 ? bias : null, firstRow);
            rowBlocks(kc, a, rows, panel, c, cOff, ldc);
        }
    }

    /**
     * Packs rows {@code [p0, p0 + kc)} of the strip's B into {@code panel} ({@link #STRIP} floats a row, zeros past
     * {@code width}). Each run of positions in one output row is one contiguous slice, copied a vector at a time;
     * a vector running past the run writes values the next run (or the next panel row) overwrites, which is why
     * the panel has one spare vector at its end.
     */
    private static void pack(Plan p, int p0, int kc, float[] padded, int[] runs, int width, float[] panel) {
        if (width == STRIP && packByBlends(p, p0, kc, padded, runs, panel)) {
            return;
        }
        for (int q = 0; q < kc; q++) {
            int base = p.rowStart()[p0 + q];
            int dst = q * STRIP;
            for (int r = 0; runs[2 * r] < width; r++) {
                int col = runs[2 * r];
                int src = base + runs[2 * r + 1];
                for (int t = 0; t < runs[2 * r + 2] - col; t += VL) {
                    FloatVector.fromArray(SPECIES, padded, src + t).intoArray(panel, dst + col + t);
                }
            }
            Arrays.fill(panel, dst + width, dst + STRIP, 0f);
        }
    }

    /**
     * The same panel for a full strip whose two vectors each span at most two runs (output rows at least 8 wide, on
     * AVX-512): each vector is loaded from its first run's slice and, from the lane where the second run starts,
     * blended with a load from the second run's slice, then stored once. Overlapping stores (the general packing)
     * cost a store-forwarding stall when the micro-kernel reads the panel right away. False, packing nothing,
     * when a vector spans more runs.
     */
    private static boolean packByBlends(Plan p, int p0, int kc, float[] padded, int[] runs, float[] panel) {
        // Per vector v: shift (padded offset minus column) of its first and second run, and where the second starts.
        int r = 0;
        int[] shift = new int[4];
        int[] split = {VL, VL};
        for (int v = 0; v < 2; v++) {
            int start = v * VL;
            while (runs[2 * r + 2] <= start) {
                r++;
            }
            shift[2 * v] = runs[2 * r + 1] - runs[2 * r];
            int next = runs[2 * r + 2];
            if (next < start + VL) {
                if (runs[2 * r + 4] < start + VL) {
                    return false;
                }
                shift[2 * v + 1] = runs[2 * r + 3] - next;
                split[v] = next - start;
            }
        }
        VectorMask<Float> second0 = SPECIES.indexInRange(0, split[0]).not();
        VectorMask<Float> second1 = SPECIES.indexInRange(0, split[1]).not();
        for (int q = 0; q < kc; q++) {
            int base = p.rowStart()[p0 + q];
            FloatVector v0 = FloatVector.fromArray(SPECIES, padded, base + shift[0]);
            if (split[0] < VL) {
                v0 = v0.blend(FloatVector.fromArray(SPECIES, padded, base + shift[1]), second0);
            }
            FloatVector v1 = FloatVector.fromArray(SPECIES, padded, base + shift[2] + VL);
            if (split[1] < VL) {
                v1 = v1.blend(FloatVector.fromArray(SPECIES, padded, base + shift[3] + VL), second1);
            }
            v0.intoArray(panel, q * STRIP);
            v1.intoArray(panel, q * STRIP + VL);
        }
        return true;
    }

    /** All rows of one strip, twelve (AVX-512 only), six, four, then one at a time, as {@link Sgemm} does. */
    private static void rowBlocks(int kc, Rows a, int rows, float[] panel, float[] c, int cOff, int ldc) {
        int i = 0;
        if (VL >= 16 && kc >= 32) {
            for (; rows - i >= 12; i += 12) {
                SgemmBlocks.block12x2(kc, a, i, panel, 0, STRIP, c, cOff + i * ldc, ldc);
            }
        }
        // Two leftover rows run better as part of two four-row blocks than as two single rows.
        int sixes = (rows - i) / 6;
        if ((rows - i) % 6 == 2 && sixes > 0) {
            sixes--;
        }
        for (int end = i + 6 * sixes; i < end; i += 6) {
            SgemmBlocks.block6x2(kc, a, i, panel, 0, STRIP, c, cOff + i * ldc, ldc);
        }
        for (; i + 4 <= rows; i += 4) {
            SgemmBlocks.block4x2(kc, a, i, panel, 0, STRIP, c, cOff + i * ldc, ldc);
        }
        for (; i < rows; i++) {
            SgemmBlocks.block1x2(kc, a, i, panel, 0, STRIP, c, cOff + i * ldc);
        }
    }
}
