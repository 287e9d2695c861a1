package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

/**
 * The tiled, multi-image, bias-first matrix-product convolution against its definition: per image and group,
 * fill with the bias, unfold the whole plane and run {@link SgemmReference}. Bit-exact (same chain per output).
 */
class ConvIm2colTest {
    private static void assertMatches(Random rnd, int batch, int channels, int m, int group, int h, int wd, int k,
                                      int stride, int pad, ExecContext ctx) {
        int out = (h + 2 * pad - k) / stride + 1;
        int outW = (wd + 2 * pad - k) / stride + 1;
        ConvGeometry g = ConvGeometry.of(new int[] {h, wd}, new int[] {k, k}, new int[] {stride, stride},
                new int[] {1, 1}, new int[] {pad, pad}, new int[] {pad, pad}, new int[] {out, outW});
        float[] x = ConvReference.random(rnd, batch * channels * h * wd);
        float[] w = ConvReference.random(rnd, m * channels / group * k * k);
        float[] bias = ConvReference.random(rnd, m);
        float[] y = ConvReference.random(rnd, batch * m * out * outW);
        ConvIm2col.run(g, x, w, bias, ConvClamp.NONE, y, batch, channels, m, group, ctx);
        assertArrayEquals(ConvReference.conv(g, x, w, bias, ConvClamp.NONE, batch, channels, m, group), y,
                "batch " + batch + " C " + channels + " M " + m + " group " + group + " " + h + "x" + wd + " k" + k
                        + " s" + stride + " p" + pad);
    }

    @Test
    void smallPlanesGroupedSeveralImagesToATileMatchThePerImageDefinition() {
        Random rnd = new Random(5);
        // LeNet-like: 8x8 and 16x16 planes, batch not a multiple of the images per tile.
        assertMatches(rnd, 7, 16, 32, 1, 8, 8, 3, 1, 1, ExecContext.singleThreaded());
        assertMatches(rnd, 5, 1, 16, 1, 16, 16, 3, 1, 1, ExecContext.singleThreaded());
        assertMatches(rnd, 9, 4, 6, 2, 5, 7, 3, 2, 1, ExecContext.singleThreaded());
        assertMatches(rnd, 3, 6, 9, 3, 6, 6, 2, 1, 0, ExecContext.withThreads(2));
    }

    @Test
    void largePlanesTiledWithinAnImageMatchThePerImageDefinition() {
        Random rnd = new Random(6);
        assertMatches(rnd, 1, 3, 32, 1, 40, 40, 3, 2, 1, ExecContext.singleThreaded());
        assertMatches(rnd, 2, 5, 13, 1, 30, 30, 3, 1, 1, ExecContext.withThreads(2));
        // Pointwise: X multiplied in place.
        assertMatches(rnd, 2, 24, 20, 1, 17, 19, 1, 1, 0, ExecContext.withThreads(2));
        assertMatches(rnd, 3, 24, 20, 2, 7, 7, 1, 1, 0, ExecContext.singleThreaded());
    }

    @Test
    void balancedTilesCoverThePlaneInWholeVectorsAndSplitEvenlyOverTwoWorkers() {
        for (int outVol = 1; outVol <= 13_000; outVol += 7) {
            int tile = ConvIm2col.balancedTile(outVol, Math.min(ConvIm2col.TILE, outVol), 1, 2);
            int tiles = (outVol + tile - 1) / tile;
            assertTrue(tile <= ConvIm2col.TILE && (tile % 16 == 0 || tile == Math.min(ConvIm2col.TILE, outVol)),
                    "outVol " + outVol + " tile " + tile);
            if (tiles >= 2) {
                // ExecContext.parallelFor gives the first worker ceil(tiles / 2) contiguous tiles.
                int first = Math.min(outVol, (tiles + 1) / 2 * tile);
                int second = outVol - first;
                assertTrue(first - second <= 16 * tiles, "outVol " + outVol + ": " + first + " vs " + second);
            }
        }
        // 28x28 on two workers: 4 tiles of 208 (416 vs 368 columns), not 256 x 3 + 16 (512 vs 272).
        assertEquals(208, ConvIm2col.balancedTile(784, 256, 1, 2));
    }

    @Test
    void unevenBalancedTilesOnThreeThreadsMatchThePerImageDefinition() {
        Random rnd = new Random(9);
        // 3 threads, one plane: tile counts rounded up to a multiple of 3, last tiles shorter than the others.
        assertMatches(rnd, 1, 6, 10, 1, 33, 31, 1, 1, 0, ExecContext.withThreads(3));
        assertMatches(rnd, 1, 5, 7, 1, 45, 41, 3, 1, 1, ExecContext.withThreads(3));
    }

    @Test
    void resultIsBitIdenticalForOneAndThreeThreads() {
        for (int threads : new int[] {1, 3}) {
            Random rnd = new Random(8);
            assertMatches(rnd, 64, 8, 16, 1, 8, 8, 3, 1, 1, ExecContext.withThreads(threads));
            assertMatches(rnd, 1, 64, 96, 1, 14, 14, 1, 1, 0, ExecContext.withThreads(threads));
        }
    }
}
