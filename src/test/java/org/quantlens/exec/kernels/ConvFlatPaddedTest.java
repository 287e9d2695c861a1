package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The flattened padded small-plane convolution against its definition: per image and group, fill with the bias,
 * unfold the whole plane with {@link Im2col}, run {@link SgemmReference}, then clamp with {@link Math#max}/{@link
 * Math#min}. Bit-exact (the same chain per output), for every block size, row split and thread count.
 */
class ConvFlatPaddedTest {
    private static void assertMatches(Random rnd, int batch, int channels, int m, int group, ConvGeometry g,
                                      ConvClamp clamp, ExecContext ctx) {
        assertTrue(ConvFlatPadded.supports(g, channels / group, m / group), g.toString());
        float[] x = ConvReference.random(rnd, batch * channels * g.inVolume());
        float[] w = ConvReference.random(rnd, m * channels / group * g.kernelVolume());
        float[] bias = ConvReference.random(rnd, m);
        // Y starts as garbage: every output must be written.
        float[] y = ConvReference.random(rnd, batch * m * g.outVolume());
        ConvFlatPadded.run(g, x, w, bias, clamp, y, batch, channels, m, group, ctx);
        assertArrayEquals(ConvReference.conv(g, x, w, bias, clamp, batch, channels, m, group), y,
                "batch " + batch + " C " + channels + " M " + m + " group " + group + " in "
                        + Arrays.toString(g.in()) + " k " + Arrays.toString(g.kernel()) + " pads "
                        + Arrays.toString(g.padBegin()) + Arrays.toString(g.padEnd()) + " threads " + ctx.threads());
    }

    @Test
    void leNetShapesMatchTheDefinitionBitForBit() {
        Random rnd = new Random(11);
        for (int threads : new int[] {1, 2}) {
            ExecContext ctx = ExecContext.withThreads(threads);
            int[] same = {1, 1, 1, 1};
            assertMatches(rnd, 64, 16, 32, 1, ConvReference.stride1(8, 8, 3, 3, same), ConvClamp.NONE, ctx);
            assertMatches(rnd, 64, 1, 16, 1, ConvReference.stride1(16, 16, 3, 3, same), new ConvClamp(0f, Float.POSITIVE_INFINITY),
                    ctx);
            assertMatches(rnd, 1, 16, 32, 1, ConvReference.stride1(8, 8, 3, 3, same), new ConvClamp(0f, 6f), ctx);
            assertMatches(rnd, 1, 1, 16, 1, ConvReference.stride1(16, 16, 3, 3, same), ConvClamp.NONE, ctx);
        }
    }

    @Test
    void randomShapesPaddingsGroupsAndThreadCountsMatchTheDefinitionBitForBit() {
        Random rnd = new Random(12);
        for (int trial = 0; trial < 60; trial++) {
            int kh = 1 + rnd.nextInt(5);
            int kw = 1 + rnd.nextInt(5);
            int[] pads = {rnd.nextInt(kh), rnd.nextInt(kw), rnd.nextInt(kh), rnd.nextInt(kw)};
            if (kh == 1 && kw == 1) {
                pads = new int[] {0, 1, 0, 0};
                kw = 2;
            }
            int h = Math.max(1, kh - pads[0] - pads[2]) + rnd.nextInt(12);
            int wd = Math.max(1, kw - pads[1] - pads[3]) + rnd.nextInt(12);
            ConvGeometry g = ConvReference.stride1(h, wd, kh, kw, pads);
            int group = 1 + rnd.nextInt(3);
            int channels = group * (1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 40));
            int m = group * (1 + rnd.nextInt(40));
            int batch = rnd.nextBoolean() ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(70);
            ConvClamp clamp = rnd.nextBoolean() ? ConvClamp.NONE : new ConvClamp(-0.25f, 0.5f);
            assertMatches(rnd, batch, channels, m, group, g, clamp, ExecContext.withThreads(1 + rnd.nextInt(3)));
        }
    }

    @Test
    void deepKernelsRunSeveralKPanelsAndOneDimensionalInputsMatchTheDefinition() {
        Random rnd = new Random(13);
        // K = 40 * 9 = 360: two K panels, the second continuing the chain in the tile.
        assertMatches(rnd, 5, 40, 24, 1, ConvReference.stride1(6, 7, 3, 3, new int[] {1, 1, 1, 1}), ConvClamp.NONE,
                ExecContext.withThreads(2));
        ConvGeometry oneD = ConvGeometry.of(new int[] {13}, new int[] {3}, new int[] {1}, new int[] {1},
                new int[] {2}, new int[] {1}, new int[] {14});
        assertMatches(rnd, 9, 6, 10, 2, oneD, new ConvClamp(0f, Float.POSITIVE_INFINITY), ExecContext.withThreads(2));
    }

    @Test
    void largePlanesOfOneImageSplitIntoStripChunksPerWorkerMatchTheDefinitionBitForBit() {
        Random rnd = new Random(15);
        int[] same = {1, 1, 1, 1};
        for (int threads : new int[] {1, 2, 3}) {
            ExecContext ctx = ExecContext.withThreads(threads);
            assertMatches(rnd, 1, 5, 7, 1, ConvReference.stride1(40, 40, 3, 3, same), new ConvClamp(0f, 6f), ctx);
            assertMatches(rnd, 2, 6, 40, 2, ConvReference.stride1(23, 29, 3, 3, same), ConvClamp.NONE, ctx);
            assertMatches(rnd, 1, 3, 24, 1, ConvReference.stride1(6, 6, 3, 3, same), new ConvClamp(0f, Float.POSITIVE_INFINITY),
                    ctx);
        }
    }

    @Test
    void onlyUnitStrideUndilatedSmallPlanesWithPadsBelowTheKernelAndCacheSizedWeightsAreSupported() {
        assertTrue(ConvFlatPadded.supports(ConvReference.stride1(8, 8, 3, 3, new int[] {1, 1, 1, 1}), 16, 32));
        assertFalse(ConvFlatPadded.supports(ConvReference.stride1(8, 8, 3, 3, new int[] {3, 1, 1, 1}), 16, 32));
        assertFalse(ConvFlatPadded.supports(ConvReference.stride1(8, 8, 1, 1, new int[] {0, 0, 0, 0}), 16, 32));
        assertTrue(ConvFlatPadded.supports(ConvReference.stride1(112, 112, 3, 3, new int[] {1, 1, 1, 1}), 32, 32));
        // A plane over 16k floats, or a group's planes over 1M floats of scratch.
        assertFalse(ConvFlatPadded.supports(ConvReference.stride1(200, 200, 3, 3, new int[] {1, 1, 1, 1}), 1, 8));
        assertFalse(ConvFlatPadded.supports(ConvReference.stride1(112, 112, 3, 3, new int[] {1, 1, 1, 1}), 100, 8));
        assertFalse(ConvFlatPadded.supports(ConvGeometry.of(new int[] {8, 8}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {4, 4}), 16, 32));
        assertFalse(ConvFlatPadded.supports(ConvGeometry.of(new int[] {8, 8}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {2, 2}, new int[] {2, 2}, new int[] {2, 2}, new int[] {8, 8}), 16, 32));
        // 512 -> 512 channels 3x3: 2.4M weights, walked once per strip, would stream from memory.
        assertFalse(ConvFlatPadded.supports(ConvReference.stride1(7, 7, 3, 3, new int[] {1, 1, 1, 1}), 512, 512));
    }

    @Test
    void convKernelOnLeNetSecondLayerStaysWithinFloatRoundingOfThePlainDoubleConvolution() {
        Random rnd = new Random(14);
        Tensor x = Tensor.ofFloats(Shape.of(3, 16, 8, 8), ConvReference.random(rnd, 3 * 16 * 64));
        Tensor w = Tensor.ofFloats(Shape.of(32, 16, 3, 3), ConvReference.random(rnd, 32 * 144));
        Tensor b = Tensor.ofFloats(Shape.of(32), ConvReference.random(rnd, 32));
        ConvWindow window = ConvWindow.parse(Kernels.node("Conv", 3,
                org.quantlens.ir.Attribute.ofInts("pads", 1, 1, 1, 1)), false);
        assertTrue(ConvFlatPadded.supports(window.geometry(new int[] {8, 8}, new int[] {3, 3}), 16, 32));
        float[] fast = ConvKernel.conv(x, w, b, window, 1, ConvClamp.NONE, ExecContext.withThreads(2)).floats();
        float[] exact = NaiveConv.conv(x, w, b, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1})
                .floats();
        assertEquals(exact.length, fast.length);
        for (int i = 0; i < exact.length; i++) {
            // 145 terms of magnitude <= 1: float rounding of the chain stays far below 1e-4.
            assertEquals(exact[i], fast[i], 1e-4f, "output " + i);
        }
    }
}
