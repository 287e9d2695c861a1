package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

/**
 * The strided shallow convolution against its definition ({@link ConvReference#conv}: bias, {@link Im2col},
 * {@link SgemmReference}, clamp): bit-exact, the same chain per output, for MobileNet's first layer and random
 * stride-2 shapes (bands cut anywhere, odd and even sizes, partial last vectors, 1 and 2 threads).
 */
class ConvShallowStridedTest {
    private static void assertMatches(Random rnd, int batch, int channels, int m, ConvGeometry g, ConvClamp clamp,
                                      ExecContext ctx) {
        assertTrue(ConvShallowStrided.supports(g, channels, 1), g.toString());
        float[] x = ConvReference.random(rnd, batch * channels * g.inVolume());
        float[] w = ConvReference.random(rnd, m * channels * g.kernelVolume());
        float[] bias = ConvReference.random(rnd, m);
        // Y starts as garbage: every output must be written.
        float[] y = ConvReference.random(rnd, batch * m * g.outVolume());
        ConvShallowStrided.run(g, x, w, bias, clamp, y, batch, channels, m, ctx);
        assertArrayEquals(ConvReference.conv(g, x, w, bias, clamp, batch, channels, m, 1), y,
                "batch " + batch + " C " + channels + " M " + m + " in " + Arrays.toString(g.in()) + " k "
                        + Arrays.toString(g.kernel()) + " s " + Arrays.toString(g.stride()) + " pads "
                        + Arrays.toString(g.padBegin()) + Arrays.toString(g.padEnd()) + " threads " + ctx.threads());
    }

    /** A 2-D window with dilation 1; the output size follows from the others. */
    private static ConvGeometry geometry(int h, int wd, int kh, int kw, int sh, int sw, int[] pads) {
        int outH = (h + pads[0] + pads[2] - kh) / sh + 1;
        int outW = (wd + pads[1] + pads[3] - kw) / sw + 1;
        return ConvGeometry.of(new int[] {h, wd}, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {1, 1},
                new int[] {pads[0], pads[1]}, new int[] {pads[2], pads[3]}, new int[] {outH, outW});
    }

    @Test
    void mobileNetFirstLayerMatchesTheDefinitionBitForBitOnOneAndTwoThreads() {
        Random rnd = new Random(31);
        ConvGeometry g = geometry(224, 224, 3, 3, 2, 2, new int[] {1, 1, 1, 1});
        for (int threads : new int[] {1, 2}) {
            assertMatches(rnd, 1, 3, 32, g, new ConvClamp(0f, 6f), ExecContext.withThreads(threads));
        }
        // ONNX exports of the same layer often pad only the end ("SAME_UPPER" for an even input).
        assertMatches(rnd, 2, 3, 32, geometry(224, 224, 3, 3, 2, 2, new int[] {0, 0, 1, 1}), ConvClamp.NONE,
                ExecContext.withThreads(2));
    }

    /**
     * Rows of at least four vectors go through the four-channel by four-vector blocks: output channel counts that
     * leave 1-3 channels over, and row widths that end with a block overlapping the previous one.
     */
    @Test
    void wideRowsWithLeftoverChannelsAndOverlappingBlocksMatchTheDefinitionBitForBit() {
        Random rnd = new Random(33);
        int[] pad = {1, 1, 1, 1};
        for (int wd : new int[] {128, 129, 150, 223, 224}) {
            for (int m : new int[] {1, 5, 6, 7, 8}) {
                assertMatches(rnd, 1, 3, m, geometry(9 + rnd.nextInt(12), wd, 3, 3, 2, 2, pad),
                        m % 2 == 0 ? ConvClamp.NONE : new ConvClamp(0f, 6f), ExecContext.withThreads(1 + m % 2));
            }
        }
    }

    @Test
    void randomStridedShapesMatchTheDefinitionBitForBit() {
        Random rnd = new Random(32);
        for (int trial = 0; trial < 80; trial++) {
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int sh = 1 + rnd.nextInt(2);
            int sw = sh == 1 ? 2 : 1 + rnd.nextInt(2);
            int[] pads = {rnd.nextInt(kh), rnd.nextInt(kw), rnd.nextInt(kh), rnd.nextInt(kw)};
            int channels = 1 + rnd.nextInt(Math.max(1, 32 / (kh * kw)));
            int wd = Math.max(kw, 16 * sw) + rnd.nextInt(60);
            int h = Math.max(1, kh) + rnd.nextInt(40);
            ConvGeometry g = geometry(h, wd, kh, kw, sh, sw, pads);
            if (g.out()[1] <= 0 || !ConvShallowStrided.supports(g, channels, 1)) {
                continue;
            }
            ConvClamp clamp = trial % 2 == 0 ? ConvClamp.NONE : new ConvClamp(-0.2f, 0.4f);
            assertMatches(rnd, 1 + rnd.nextInt(2), channels, 1 + rnd.nextInt(20), g, clamp,
                    ExecContext.withThreads(1 + trial % 2));
        }
    }

    @Test
    void unitStridesDilationsGroupsAndDeepKernelsAreLeftToTheOtherPaths() {
        int[] pad = {1, 1, 1, 1};
        assertFalse(ConvShallowStrided.supports(geometry(32, 32, 3, 3, 1, 1, pad), 3, 1));
        assertFalse(ConvShallowStrided.supports(geometry(32, 32, 3, 3, 3, 3, pad), 3, 1));
        assertFalse(ConvShallowStrided.supports(geometry(32, 32, 3, 3, 2, 2, pad), 4, 1));
        assertFalse(ConvShallowStrided.supports(geometry(32, 32, 3, 3, 2, 2, pad), 2, 2));
        ConvGeometry dilated = ConvGeometry.of(new int[] {32, 32}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, new int[] {15, 15});
        assertFalse(ConvShallowStrided.supports(dilated, 3, 1));
        assertTrue(ConvShallowStrided.supports(geometry(224, 224, 3, 3, 2, 2, pad), 3, 1));
    }
}
