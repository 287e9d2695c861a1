package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;

/**
 * The matrix-product path of {@link ConvKernel} (more than one input channel per group): per group,
 * {@code Y = bias + W_group [M/group x K] * col [K x columns]} with {@code K = C/group * kernelVolume} and
 * {@code col} the {@link Im2col} unfolding of the input windows. Every output is one fused multiply-add chain
 * that starts at its bias and runs over K in increasing order, exactly {@link SgemmReference}'s chain, so the
 * result is bit-identical to "fill with bias, then {@code SgemmReference.multiplyAdd}" for any tiling and thread
 * count.
 *
 * <p>Planes up to about 126 x 126 with unit strides and dilations (LeNet's 16x16 and 8x8 3x3 layers), when the
 * weights of a group fit in cache, go through {@link ConvFlatPadded}, which reads the matrix product's operand
 * straight from zero-bordered copies of the input planes instead of unfolding them: the same chains, the same bits.
 *
 * <p>Shallow convolutions of that kind ({@code K = C * kernelVolume} up to 32, one group: LeNet's one-channel first
 * layer) go through {@link ConvShallow}, which skips the matrix product's packing altogether; again the same bits.
 * Their stride-2 kind (MobileNet's first layer, 3 channels, 3x3, K = 27) goes through {@link ConvShallowStrided}:
 * no stride-2 unfolding, the same bits.
 *
 * <p>Tiling: large planes are cut into tiles of at most {@value #TILE} output positions (see {@link #balancedTile});
 * other small planes (strided ones) are grouped several images to a tile, so the matrix product has enough columns
 * to run whole vectors, and the tile is copied out image by image. A 1x1 kernel with unit strides and no padding
 * multiplies X in place (no unfolding). An optional {@link ConvClamp} (a fused Clip/Relu) is applied by the matrix
 * product as it stores its results ({@link Sgemm#multiplyClamped}): C is written once. With few tiles (small
 * late layers), output channels are split too, so every worker has work.
 */
final class ConvIm2col {
    /** Output positions per tile: the tile's columns of every kernel row stay in cache. */
    static final int TILE = 256;

    private ConvIm2col() {
    }

    /** {@code y = clamp(bias + conv(x, w))}; y is written, never read. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, float[] y, int batch,
                    int channels, int m, int group, ExecContext ctx) {
        // In a fresh JVM the unfolding path's products run on Sgemm's plain warm-up loops (VectorWarmUp); the flat
        // path's vector packing would start cold instead, so it waits until that budget is spent.
        if (SgemmWarmUp.BUDGET.isSpent() && ConvShallow.supports(g, channels, group)) {
            ConvShallow.run(g, x, w, bias, clamp, y, batch, channels, m, ctx);
            return;
        }
        if (SgemmWarmUp.BUDGET.isSpent() && ConvShallowStrided.supports(g, channels, group)) {
            ConvShallowStrided.run(g, x, w, bias, clamp, y, batch, channels, m, ctx);
            return;
        }
        if (SgemmWarmUp.BUDGET.isSpent() && ConvFlatPadded.supports(g, channels / group, m / group)) {
            ConvFlatPadded.run(g, x, w, bias, clamp, y, batch, channels, m, group, ctx);
            return;
        }
        int cPerGroup = channels / group;
        int mPerGroup = m / group;
        int k = cPerGroup * g.kernelVolume();
        int outVol = g.outVolume();
        boolean pointwise = isPointwise(g);
        // Narrower tiles for very deep kernels keep the im2col buffer (k x tile) at most 4M floats.
        int widest = Math.max(1, Math.min(Math.min(TILE, outVol), (1 << 22) / Math.max(1, k)));
        int images = pointwise || outVol >= TILE ? 1 : Math.max(1, Math.min(batch, widest / outVol));
        int tile = images > 1 ? widest : balancedTile(outVol, widest, batch * group, ctx.threads());
        Plan plan = new Plan(g, k, channels, cPerGroup, m, mPerGroup, group, clamp, tile, images, pointwise,
                (outVol + tile - 1) / tile, (batch + images - 1) / images, batch);
        int baseTasks = plan.imageBlocks() * group * plan.tiles();
        int blocks = Math.max(1, Math.min((mPerGroup + 15) / 16, (ctx.threads() + baseTasks - 1) / baseTasks));
        int rowsPerBlock = ((mPerGroup + blocks - 1) / blocks + 3) / 4 * 4;
        int blockCount = (mPerGroup + rowsPerBlock - 1) / rowsPerBlock;
        long cost = (long) rowsPerBlock * k * tile * images;
        ctx.parallelFor(baseTasks * blockCount, cost, (start, end) -> {
            for (int task = start; task < end; task++) {
                int block = task % blockCount;
                int t = (task / blockCount) % plan.tiles();
                int ng = task / blockCount / plan.tiles();
                int r0 = block * rowsPerBlock;
                int rows = Math.min(mPerGroup, r0 + rowsPerBlock) - r0;
                if (images > 1) {
                    imageBlock(plan, x, w, bias, y, ng / group, ng % group, r0, rows);
                } else {
                    planeTile(plan, x, w, bias, y, ng / group, ng % group, t, r0, rows);
                }
            }
        });
    }

    /**
     * The tile width for {@code outVol} output positions per plane, at most {@code widest}: whole vectors wide, and
     * when the planes ({@code planes} = images x groups) are fewer than the threads, as many tiles of about equal
     * width as a multiple of the thread count allows, so the workers' contiguous chunks of tiles get about equal work
     * (784 positions on 2 threads: 4 tiles of 208/208/208/160 instead of 256/256/256/16, which gave one worker
     * 512 and the other 272 columns). With one thread this still avoids a last sliver of a tile.
     */
    static int balancedTile(int outVol, int widest, int planes, int threads) {
        int tiles = (outVol + widest - 1) / widest;
        int workers = planes >= threads ? 1 : threads;
        if (tiles < workers) {
            // Fewer tiles than workers: the caller splits output channels instead.
            return widest;
        }
        tiles = (tiles + workers - 1) / workers * workers;
        int width = (outVol + tiles - 1) / tiles;
        int first = Math.min(widest, (width + 15) / 16 * 16);
        // Rounding up to whole 16-float vectors (AVX-512) can drop the tile count below a multiple of the workers
        // (3585 positions: 16 tiles of 225 -> 240 wide -> 15 tiles); then narrower tiles, down to half as wide.
        for (int w = first; w >= 16 && 2 * w >= first; w -= 16) {
            if (((outVol + w - 1) / w) % workers == 0) {
                return w;
            }
        }
        return first;
    }

    /** The fixed shape of one call: geometry, matrix sizes and tiling. */
    private record Plan(ConvGeometry g, int k, int channels, int cPerGroup, int m, int mPerGroup, int group,
                        ConvClamp clamp, int tile, int images, boolean pointwise, int tiles, int imageBlocks, int batch) {
    }

    /** Output rows {@code [r0, r0 + rows)} of group {@code gi}, positions of tile {@code t} of image n. */
    private static void planeTile(Plan p, float[] x, float[] w, float[] bias, float[] y, int n, int gi, int t,
                                  int r0, int rows) {
        ConvGeometry g = p.g();
        int outVol = g.outVolume();
        int inVol = g.inVolume();
        int k = p.k();
        int j0 = t * p.tile();
        int j1 = Math.min(outVol, j0 + p.tile());
        int xOff = (n * p.channels() + gi * p.cPerGroup()) * inVol;
        int firstRow = gi * p.mPerGroup() + r0;
        int yOff = (n * p.m() + firstRow) * outVol + j0;
        if (p.pointwise()) {
            Sgemm.multiplyClamped(rows, j1 - j0, k, w, firstRow * k, k, x, xOff + j0, inVol, bias, firstRow,
                    p.clamp(), y, yOff, outVol);
        } else {
            float[] col = KernelScratch.floats(KernelScratch.Slot.IM2COL, k * (j1 - j0));
            Im2col.unfold(g, x, xOff, p.cPerGroup(), j0, j1, col);
            Sgemm.multiplyClamped(rows, j1 - j0, k, w, firstRow * k, k, col, 0, j1 - j0, bias, firstRow, p.clamp(),
                    y, yOff, outVol);
        }
    }

    /**
     * Output rows {@code [r0, r0 + rows)} of group {@code gi} for images {@code [b * images, ...)}: their
     * unfoldings side by side, one matrix product into a scratch tile, then each image's planes copied out.
     */
    private static void imageBlock(Plan p, float[] x, float[] w, float[] bias, float[] y, int b, int gi, int r0,
                                   int rows) {
        ConvGeometry g = p.g();
        int outVol = g.outVolume();
        int k = p.k();
        int n0 = b * p.images();
        int count = Math.min(p.batch(), n0 + p.images()) - n0;
        int cols = count * outVol;
        float[] col = KernelScratch.floats(KernelScratch.Slot.IM2COL, k * cols);
        for (int i = 0; i < count; i++) {
            int xOff = ((n0 + i) * p.channels() + gi * p.cPerGroup()) * g.inVolume();
            Im2col.unfold(g, x, xOff, p.cPerGroup(), 0, outVol, col, i * outVol, cols);
        }
        int firstRow = gi * p.mPerGroup() + r0;
        float[] out = KernelScratch.floats(KernelScratch.Slot.CONV_TILE, rows * cols);
        Sgemm.multiplyClamped(rows, cols, k, w, firstRow * k, k, col, 0, cols, bias, firstRow, p.clamp(), out, 0,
                cols);
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(out, r * cols + i * outVol, y, ((n0 + i) * p.m() + firstRow + r) * outVol, outVol);
            }
        }
    }

    /** A 1x1 kernel with unit strides and no padding reads X as it is: no unfolding needed. */
    private static boolean isPointwise(ConvGeometry g) {
        for (int a = 0; a < 3; a++) {
            if (g.kernel()[a] != 1 || g.stride()[a] != 1 || g.padBegin()[a] != 0 || g.padEnd()[a] != 0) {
                return false;
            }
        }
        return true;
    }
}
