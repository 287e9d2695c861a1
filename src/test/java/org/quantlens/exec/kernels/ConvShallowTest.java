package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

/**
 * The shallow direct convolution against its definition: per image, fill with the bias, unfold the whole plane with
 * {@link Im2col}, run {@link SgemmReference}, then clamp with {@link Math#max}/{@link Math#min}. Bit-exact (the same
 * chain per output) for every channel block (8, 4, 1), partial last vectors of a row, row bands and thread count.
 */
class ConvShallowTest {
    private static final ConvClamp RELU = new ConvClamp(0f, Float.POSITIVE_INFINITY);

    private static void assertMatches(Random rnd, int batch, int channels, int m, ConvGeometry g, ConvClamp clamp,
                                      ExecContext ctx) {
        assertTrue(ConvShallow.supports(g, channels, 1), g.toString());
        float[] x = ConvReference.random(rnd, batch * channels * g.inVolume());
        float[] w = ConvReference.random(rnd, m * channels * g.kernelVolume());
        float[] bias = ConvReference.random(rnd, m);
        // Y starts as garbage: every output must be written.
        float[] y = ConvReference.random(rnd, batch * m * g.outVolume());
        ConvShallow.run(g, x, w, bias, clamp, y, batch, channels, m, ctx);
        assertArrayEquals(ConvReference.conv(g, x, w, bias, clamp, batch, channels, m, 1), y,
                "batch " + batch + " C " + channels + " M " + m + " in " + Arrays.toString(g.in()) + " k "
                        + Arrays.toString(g.kernel()) + " pads " + Arrays.toString(g.padBegin())
                        + Arrays.toString(g.padEnd()) + " threads " + ctx.threads());
    }

    @Test
    void leNetFirstLayerMatchesTheDefinitionBitForBitOnOneAndTwoThreads() {
        Random rnd = new Random(21);
        int[] same = {1, 1, 1, 1};
        for (int threads : new int[] {1, 2}) {
            ExecContext ctx = ExecContext.withThreads(threads);
            assertMatches(rnd, 64, 1, 16, ConvReference.stride1(16, 16, 3, 3, same), RELU, ctx);
            assertMatches(rnd, 1, 1, 16, ConvReference.stride1(16, 16, 3, 3, same), ConvClamp.NONE, ctx);
            assertMatches(rnd, 3, 1, 16, ConvReference.stride1(16, 16, 3, 3, same), new ConvClamp(0f, 6f), ctx);
        }
    }

    @Test
    void randomShallowShapesChannelBlocksPartialRowsAndThreadCountsMatchTheDefinitionBitForBit() {
        Random rnd = new Random(22);
        for (int trial = 0; trial < 80; trial++) {
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int[] pads = {rnd.nextInt(kh), rnd.nextInt(kw), rnd.nextInt(kh), rnd.nextInt(kw)};
            int channels = 1 + rnd.nextInt(Math.max(1, 32 / (kh * kw)));
            // Output rows from half a vector (8 on AVX-512) to a few vectors, with and without a partial last one.
            int outW = 8 + rnd.nextInt(40);
            int wd = outW + kw - 1 - pads[1] - pads[3];
            int h = Math.max(1, kh - pads[0] - pads[2]) + rnd.nextInt(10);
            if (wd < 1) {
                continue;
            }
            ConvGeometry g = ConvReference.stride1(h, wd, kh, kw, pads);
            int m = 1 + rnd.nextInt(30);
            int batch = rnd.nextBoolean() ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(40);
            ConvClamp clamp = rnd.nextBoolean() ? ConvClamp.NONE : new ConvClamp(-0.25f, 0.5f);
            assertMatches(rnd, batch, channels, m, g, clamp, ExecContext.withThreads(1 + rnd.nextInt(3)));
        }
    }

    @Test
    void oneDimensionalInputsMatchTheDefinition() {
        Random rnd = new Random(23);
        ConvGeometry oneD = ConvGeometry.of(new int[] {37}, new int[] {3}, new int[] {1}, new int[] {1},
                new int[] {2}, new int[] {1}, new int[] {38});
        assertMatches(rnd, 9, 6, 13, oneD, RELU, ExecContext.withThreads(2));
        assertMatches(rnd, 1, 2, 8, oneD, ConvClamp.NONE, ExecContext.withThreads(2));
    }

    @Test
    void onlyShallowUnitStrideUndilatedSingleGroupConvolutionsWithWideEnoughRowsAreSupported() {
        int[] same = {1, 1, 1, 1};
        assertTrue(ConvShallow.supports(ConvReference.stride1(16, 16, 3, 3, same), 1, 1));
        assertTrue(ConvShallow.supports(ConvReference.stride1(16, 16, 3, 3, same), 3, 1));
        // K = 4 * 9 = 36: a packed matrix product reuses loads better.
        assertFalse(ConvShallow.supports(ConvReference.stride1(16, 16, 3, 3, same), 4, 1));
        assertFalse(ConvShallow.supports(ConvReference.stride1(16, 16, 3, 3, same), 2, 2));
        // 2-wide output rows: less than half a vector on any vector width.
        assertFalse(ConvShallow.supports(ConvReference.stride1(2, 2, 3, 3, same), 1, 1));
        assertFalse(ConvShallow.supports(ConvReference.stride1(16, 16, 3, 3, new int[] {3, 1, 1, 1}), 1, 1));
        assertFalse(ConvShallow.supports(ConvGeometry.of(new int[] {16, 16}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {8, 8}), 1, 1));
        assertFalse(ConvShallow.supports(ConvGeometry.of(new int[] {16, 16}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {2, 2}, new int[] {2, 2}, new int[] {2, 2}, new int[] {16, 16}), 1, 1));
        // Planes over 64k floats of scratch.
        assertFalse(ConvShallow.supports(ConvReference.stride1(300, 300, 3, 3, same), 1, 1));
    }
}
