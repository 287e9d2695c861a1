package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The whole-planes 2x2 max pool against the general row loop ({@link PoolRows#pool}, the window-by-window chain),
 * bit for bit, NaNs compared as NaN (the vector max returns the canonical NaN) and signed zeros exactly.
 */
class PoolMaxSmallPlanesTest {
    private static final float[] SPECIALS = {Float.NaN, Float.intBitsToFloat(0x7fc00123), -0f, 0f,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

    private static ConvGeometry halving(int outH, int outW) {
        return ConvGeometry.of(new int[] {2 * outH, 2 * outW}, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, new int[] {outH, outW});
    }

    @Test
    void planeRangesMatchTheGeneralRowLoopBitForBitIncludingNaNsAndSignedZeros() {
        Random rnd = new Random(21);
        int[] widths = {1, 2, 4, 8, 16, 24, 32, 40, 48};
        for (int outW : widths) {
            for (int outH = 1; outH <= 5; outH++) {
                ConvGeometry g = halving(outH, outW);
                assertTrue(PoolMaxSmallPlanes.supports(g), outH + "x" + outW);
                int planes = 1 + rnd.nextInt(9);
                float[] x = new float[planes * g.inVolume()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextInt(4) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : (float) rnd.nextGaussian();
                }
                float[] expected = new float[planes * g.outVolume()];
                for (int plane = 0; plane < planes; plane++) {
                    PoolRows.pool(g, PoolTaps.of(g), x, plane * g.inVolume(), expected, plane * g.outVolume(), true);
                }
                int first = rnd.nextInt(planes);
                int end = first + 1 + rnd.nextInt(planes - first);
                float[] fast = new float[expected.length];
                java.util.Arrays.fill(fast, 42f);
                PoolMaxSmallPlanes.max2x2(g, x, first, end, fast);
                for (int i = 0; i < fast.length; i++) {
                    int plane = i / g.outVolume();
                    // Planes outside the range are left alone.
                    float want = plane >= first && plane < end ? expected[i] : 42f;
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(fast[i]),
                            planes + " planes of " + outH + "x" + outW + ", range " + first + ".." + end
                                    + ", output " + i);
                }
            }
        }
    }

    @Test
    void onlyExactHalvingsWithRowsThatTileVectorsAreSupported() {
        assertFalse(PoolMaxSmallPlanes.supports(ConvGeometry.of(new int[] {9, 8}, new int[] {2, 2},
                new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {4, 4})));
        assertFalse(PoolMaxSmallPlanes.supports(halving(3, 3)));
        assertFalse(PoolMaxSmallPlanes.supports(ConvGeometry.of(new int[] {8, 8}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {7, 7})));
    }
}
