package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.kernels.SgemmBlocks.Rows;

/**
 * Fast single-precision {@code C += A * B} (row-major panels, BLAS-style offsets and leading dimensions), bit-exact
 * with {@link SgemmReference}: each C element is the same fused multiply-add chain in increasing {@code p}, only
 * computed for many columns at once with {@link FloatVector#fma}. Lanes never mix, so the vector width and the
 * thread count do not change a single bit of the result.
 *
 * <p>Blocking: K is cut into panels of {@value #KC}; a {@code KC x 2*VL} slice of B is copied to consecutive memory
 * (when at least 8 rows will reuse it) and stays in L1 while micro-kernels walk down the rows of A twelve at a time
 * (then six, four, one), keeping up to 12 x 2 vector accumulators in registers (24 of AVX-512's 32; see {@link
 * #BIG_ROWS}; on MobileNetV2's 1x1 shapes 12 rows ran 20-40% faster than 6, as each loaded B vector serves more
 * rows; the blocks are in {@link SgemmBlocks}). The accumulators are loaded from and stored back to C around each K
 * panel, which continues the same chain; with per-row initial values ({@link #multiply}, a convolution's bias) the
 * first panel starts from those instead of reading C. Panels and tail buffers are per-thread scratch ({@link
 * KernelScratch}), so a call allocates nothing. The last columns (fewer than one vector) run through zero-padded
 * copies (see {@code narrowTail}). In a fresh JVM the first products run on {@link SgemmWarmUp}'s plain loops
 * (same chains, same bits) until the vector code's warm-up is worth paying.
 */
final class Sgemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    private static final int KC = 256;
    /**
     * Rows of the largest register block: 12 (24 accumulators) where 512-bit vectors come with 32 registers
     * (AVX-512); with 256-bit vectors (AVX2: 16 registers) 24 accumulators would spill, so blocks stop at 6.
     */
    private static final int BIG_ROWS = VL >= 16 ? 12 : Integer.MAX_VALUE;
    /**
     * Twelve-row blocks only for K panels at least this deep: with very short K (MobileNetV2's 24 -> 144 channel
     * 1x1 layer) the block is mostly stores, and inside the model, where C is not in cache, twelve rows stored at
     * once ran about 25% slower than six (best of 100 runs, back to back); in isolation they were faster.
     */
    private static final int BIG_MIN_K = 32;
    /** Up to this many columns, {@link #multiplyNarrow} walks rows outermost. */
    private static final int NARROW_MAX = 4 * VL;
    /** Columns per parallel task when {@link #multiplyAddParallel} splits by columns. */
    private static final int COLUMN_TILE = 256;
    /** Up to this K (one short panel) {@link #rowsOuter} walks rows outermost: C's stores dominate. */
    private static final int SHORT_K = 64;

    private Sgemm() {
    }

    /** {@code C += A * B} on the calling thread; see {@link SgemmReference#multiplyAdd} for the exact contract. */
    static void multiplyAdd(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        multiply(m, n, k, a, aOff, lda, b, bOff, ldb, null, 0, c, cOff, ldc);
    }

    /**
     * {@code C[i][j] = rowInit[rowInitOff + i] + A * B}, or {@code C += A * B} when {@code rowInit} is null: the
     * chain of every element starts at its row's initial value (a convolution's bias) instead of at C, so C is
     * only written, never read. Bit-identical to filling C with the row values and calling {@link #multiplyAdd}.
     */
    static void multiply(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] rowInit, int rowInitOff, float[] c, int cOff, int ldc) {
        multiplyClamped(m, n, k, a, aOff, lda, b, bOff, ldb, rowInit, rowInitOff, ConvClamp.NONE, c, cOff, ldc);
    }

    /**
     * {@link #multiply}, then {@code clamp} applied to the m x n block of C ({@link ConvClamp#apply}, the same
     * bits), but fused: in the last K panel each strip of columns is clamped right after its blocks stored it,
     * while it is in L1, instead of a second pass over C from L2 or memory. (Clamping inside the register blocks
     * was tried: the extra call made C2 box the accumulators, 2x slower.)
     */
    static void multiplyClamped(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] rowInit, int rowInitOff, ConvClamp clamp, float[] c, int cOff, int ldc) {
        if (k == 0 || !SgemmWarmUp.BUDGET.isSpent()) {
            if (k == 0 && rowInit != null) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, rowInit[rowInitOff + i]);
                }
            } else if (k > 0) {
                long start = System.nanoTime();
                SgemmWarmUp.multiply(m, n, k, a, aOff, lda, b, bOff, ldb, rowInit, rowInitOff, c, cOff, ldc);
                SgemmWarmUp.BUDGET.record(System.nanoTime() - start);
            }
            for (int i = 0; i < m; i++) {
                clamp.apply(c, cOff + i * ldc, n);
            }
            return;
        }
        ConvClamp last = clamp.isIdentity() ? null : clamp;
        if (n <= NARROW_MAX && m >= 8) {
            multiplyNarrow(m, n, k, a, aOff, lda, b, bOff, ldb, rowInit, rowInitOff, last, c, cOff, ldc);
            return;
        }
        // Packing pays off only when several row blocks reuse the panel; a few rows read B in place.
        boolean pack = m >= 8;
        int done = pack && k <= SHORT_K && n >= 2 * VL
                ? rowsOuter(m, n, k, new Rows(a, aOff, lda, rowInit, rowInitOff), b, bOff, ldb, last, c, cOff, ldc)
                : 0;
        float[] panel = KernelScratch.floats(KernelScratch.Slot.SGEMM_PANEL, Math.min(KC, k) * 2 * VL);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            // Only the first K panel starts from the row values; later panels continue the chain in C.
            Rows rows = new Rows(a, aOff + p0, lda, p0 == 0 ? rowInit : null, rowInitOff);
            // The chains end in the last K panel: its strips are clamped right after they are stored (still in L1).
            ConvClamp strip = p0 + kc == k ? last : null;
            int bp = bOff + p0 * ldb;
            int j = done; // short K is one panel; rowsOuter did its whole strips
            for (; j + 2 * VL <= n; j += 2 * VL) {
                float[] bs = pack ? packPanel(kc, 2 * VL, b, bp + j, ldb, panel) : b;
                int b0 = pack ? 0 : bp + j;
                int bStride = pack ? 2 * VL : ldb;
                int i = 0;
                for (; kc >= BIG_MIN_K && m - i >= BIG_ROWS; i += 12) {
                    SgemmBlocks.block12x2(kc, rows, i, bs, b0, bStride, c, cOff + i * ldc + j, ldc);
                }
                for (int end = i + 6 * rowsOfSix(m - i); i < end; i += 6) {
                    SgemmBlocks.block6x2(kc, rows, i, bs, b0, bStride, c, cOff + i * ldc + j, ldc);
                }
                for (; i + 4 <= m; i += 4) {
                    SgemmBlocks.block4x2(kc, rows, i, bs, b0, bStride, c, cOff + i * ldc + j, ldc);
                }
                for (; i < m; i++) {
                    SgemmBlocks.block1x2(kc, rows, i, bs, b0, bStride, c, cOff + i * ldc + j);
                }
                clampStrip(strip, m, c, cOff + j, ldc, 2 * VL);
            }
            for (; j + VL <= n; j += VL) {
                float[] bs = pack ? packPanel(kc, VL, b, bp + j, ldb, panel) : b;
                int b0 = pack ? 0 : bp + j;
                int bStride = pack ? VL : ldb;
                columnOfVectors(m, kc, rows, bs, b0, bStride, c, cOff + j, ldc);
                clampStrip(strip, m, c, cOff + j, ldc, VL);
            }
            if (j < n) {
                float[] tailC = KernelScratch.floats(KernelScratch.Slot.SGEMM_TAIL, m * VL);
                narrowTail(m, n - j, kc, rows, b, bp + j, ldb, c, cOff + j, ldc, panel, tailC);
                clampStrip(strip, m, c, cOff + j, ldc, n - j);
            }
        }
    }

    /**
     * Few columns (a 7x7 plane: 49), many rows: the column-strip order above would stream all of A once per strip
     * (A is the weight matrix, up to 1.6 MB). Here B's K panel is copied once, zero-padded to whole vectors, and
     * each block of rows runs all its strips while its A rows are in L1; its C rows go through a zero-padded
     * scratch tile (the real rows are only n apart). Same chains, same bits.
     */
    private static void multiplyNarrow(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                       int ldb, float[] rowInit, int rowInitOff, ConvClamp last, float[] c, int cOff,
                                       int ldc) {
        int nPad = (n + VL - 1) / VL * VL;
        float[] panel = KernelScratch.floats(KernelScratch.Slot.SGEMM_PANEL, Math.min(KC, k) * nPad);
        float[] tile = KernelScratch.floats(KernelScratch.Slot.SGEMM_TAIL, 12 * nPad);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb, panel, p * nPad, n);
                java.util.Arrays.fill(panel, p * nPad + n, (p + 1) * nPad, 0f);
            }
            Rows rows = new Rows(a, aOff + p0, lda, p0 == 0 ? rowInit : null, rowInitOff);
            ConvClamp strip = p0 + kc == k ? last : null;
            int i = 0;
            for (; kc >= BIG_MIN_K && m - i >= BIG_ROWS; i += 12) {
                narrowRows(12, i, kc, n, nPad, rows, strip, panel, tile, c, cOff + i * ldc, ldc);
            }
            for (int end = i + 6 * rowsOfSix(m - i); i < end; i += 6) {
                narrowRows(6, i, kc, n, nPad, rows, strip, panel, tile, c, cOff + i * ldc, ldc);
            }
            for (; i + 4 <= m; i += 4) {
                narrowRows(4, i, kc, n, nPad, rows, strip, panel, tile, c, cOff + i * ldc, ldc);
            }
            for (; i < m; i++) {
                narrowRows(1, i, kc, n, nPad, rows, strip, panel, tile, c, cOff + i * ldc, ldc);
            }
        }
    }

    /** Rows {@code [i, i + h)} (h = 12, 6, 4 or 1) of a narrow product, through the scratch tile. */
    private static void narrowRows(int h, int i, int kc, int n, int nPad, Rows rows, ConvClamp clamp,
                                   float[] panel, float[] tile, float[] c, int c0, int ldc) {
        if (rows.init() == null) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(c, c0 + r * ldc, tile, r * nPad, n);
                java.util.Arrays.fill(tile, r * nPad + n, (r + 1) * nPad, 0f);
            }
        }
        int j = 0;
        for (; j + 2 * VL <= nPad; j += 2 * VL) {
            if (h == 12) {
                SgemmBlocks.block12x2(kc, rows, i, panel, j, nPad, tile, j, nPad);
            } else if (h == 6) {
                SgemmBlocks.block6x2(kc, rows, i, panel, j, nPad, tile, j, nPad);
            } else if (h == 4) {
                SgemmBlocks.block4x2(kc, rows, i, panel, j, nPad, tile, j, nPad);
            } else {
                SgemmBlocks.block1x2(kc, rows, i, panel, j, nPad, tile, j);
            }
        }
        if (j < nPad) {
            columnOfVectors(h, kc, rows.shifted(i), panel, j, nPad, tile, j, nPad);
        }
        for (int r = 0; r < h; r++) {
            if (clamp != null) {
                clamp.apply(tile, r * nPad, n);
            }
            System.arraycopy(tile, r * nPad, c, c0 + r * ldc, n);
        }
    }

    /**
     * Short K (a 1x1 convolution with few input channels, where storing C costs more than the multiply-adds): every
     * whole strip of {@code 2*VL} columns of B is packed once, then each block of rows runs across all strips, so C
     * is written row by row in long runs (with columns outermost, 96 rows of a 112x112 output, 50 KB apart, were
     * written a strip at a time: too many streams, colliding in few L1 sets); six-row blocks clamp as they store
     * ({@link SgemmClampedBlock}), the rest is clamped while in L1.
     * Returns how many columns it computed (the whole strips); the caller does the rest. Same chains, same bits.
     */
    private static int rowsOuter(int m, int n, int k, Rows rows, float[] b, int bOff, int ldb, ConvClamp clamp,
                                 float[] c, int cOff, int ldc) {
        int width = 2 * VL;
        int strips = n / width;
        int stripSize = k * width;
        float[] panel = KernelScratch.floats(KernelScratch.Slot.SGEMM_PANEL, strips * stripSize);
        for (int st = 0; st < strips; st++) {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb + st * width, panel, st * stripSize + p * width, width);
            }
        }
        int i = 0;
        for (int end = 6 * rowsOfSix(m); i < end; i += 6) {
            for (int st = 0; st < strips; st++) {
                int ci = cOff + i * ldc + st * width;
                if (clamp == null) {
                    SgemmBlocks.block6x2(k, rows, i, panel, st * stripSize, width, c, ci, ldc);
                } else {
                    // The clamp as the accumulators are stored: no re-read of C.
                    SgemmClampedBlock.block6x2(k, rows, i, panel, st * stripSize, width, c, ci, ldc, clamp.min(),
                            clamp.max());
                }
            }
        }
        for (; i + 4 <= m; i += 4) {
            for (int st = 0; st < strips; st++) {
                SgemmBlocks.block4x2(k, rows, i, panel, st * stripSize, width, c, cOff + i * ldc + st * width, ldc);
            }
            clampStrip(clamp, 4, c, cOff + i * ldc, ldc, strips * width);
        }
        for (; i < m; i++) {
            for (int st = 0; st < strips; st++) {
                SgemmBlocks.block1x2(k, rows, i, panel, st * stripSize, width, c, cOff + i * ldc + st * width);
            }
            clampStrip(clamp, 1, c, cOff + i * ldc, ldc, strips * width);
        }
        return strips * width;
    }

    /**
     * Applies {@code clamp} (none when null) to columns {@code [c0, c0 + width)} of m rows of C: a strip the blocks
     * have just stored, so it is read back from L1 rather than in a second pass over C.
     */
    private static void clampStrip(ConvClamp clamp, int m, float[] c, int c0, int ldc, int width) {
        if (clamp == null) {
            return;
        }
        for (int r = 0; r < m; r++) {
            clamp.apply(c, c0 + r * ldc, width);
        }
    }

    /**
     * How many six-row blocks to run before the four-row and single-row blocks: all of them, except when that
     * would leave two rows (8, 32, 320 rows), which run better as two four-row blocks than as two single rows.
     */
    private static int rowsOfSix(int m) {
        int sixes = m / 6;
        return m % 6 == 2 && sixes > 0 ? sixes - 1 : sixes;
    }

    /** One vector of columns for all m rows: four rows at a time, then one. */
    private static void columnOfVectors(int m, int kc, Rows rows, float[] bs, int b0, int bStride, float[] c,
                                        int c0, int ldc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            SgemmBlocks.block4x1(kc, rows, i, bs, b0, bStride, c, c0 + i * ldc, ldc);
        }
        for (; i < m; i++) {
            SgemmBlocks.block1x1(kc, rows, i, bs, b0, bStride, c, c0 + i * ldc);
        }
    }

    /**
     * The last {@code width < VL} columns: B's slice and C's columns are copied into VL-wide zero-padded buffers,
     * the vector kernels run there, and the real columns are copied back. Each real column keeps its own chain, so
     * this is bit-exact with the scalar reference while running at vector speed.
     */
    private static void narrowTail(int m, int width, int kc, Rows rows, float[] b, int bj, int ldb,
                                   float[] c, int cj, int ldc, float[] panel, float[] tailC) {
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bj + p * ldb, panel, p * VL, width);
            java.util.Arrays.fill(panel, p * VL + width, (p + 1) * VL, 0f);
        }
        for (int i = 0; i < m; i++) {
            if (rows.init() == null) {
                System.arraycopy(c, cj + i * ldc, tailC, i * VL, width);
            }
            // Lanes past the width are never copied back; zero them so no stale NaN is ever computed with.
            java.util.Arrays.fill(tailC, i * VL + (rows.init() == null ? width : 0), (i + 1) * VL, 0f);
        }
        columnOfVectors(m, kc, rows, panel, 0, VL, tailC, 0, VL);
        for (int r = 0; r < m; r++) {
            System.arraycopy(tailC, r * VL, c, cj + r * ldc, width);
        }
    }

    /**
     * Copies a {@code kc x width} slice of B into consecutive memory: B's rows are often a power-of-two apart,
     * which would make the slice's cache lines collide in a few L1 sets.
     */
    private static float[] packPanel(int kc, int width, float[] b, int bj, int ldb, float[] panel) {
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bj + p * ldb, panel, p * width, width);
        }
        return panel;
    }

    /**
     * {@code C += A * B} split over workers: by column tiles when there are enough columns, else by rows. Every
     * element is computed exactly as in {@link #multiplyAdd}, so the result is independent of the thread count.
     */
    static void multiplyAddParallel(ExecContext ctx, int m, int n, int k, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        long cost = (long) m * n * k;
        if (ctx.threads() <= 1 || cost < 65_536) {
            multiplyAdd(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int tiles = (n + COLUMN_TILE - 1) / COLUMN_TILE;
        if (tiles >= ctx.threads()) {
            ctx.parallelFor(tiles, (long) m * k * COLUMN_TILE, (s, e) -> {
                int j0 = s * COLUMN_TILE;
                int j1 = Math.min(n, e * COLUMN_TILE);
                multiplyAdd(m, j1 - j0, k, a, aOff, lda, b, bOff + j0, ldb, c, cOff + j0, ldc);
            });
        } else {
            int rowBlocks = (m + 3) / 4;
            ctx.parallelFor(rowBlocks, 4L * n * k, (s, e) -> {
                int i0 = s * 4;
                int i1 = Math.min(m, e * 4);
                multiplyAdd(i1 - i0, n, k, a, aOff + i0 * lda, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc);
            });
        }
    }
}
