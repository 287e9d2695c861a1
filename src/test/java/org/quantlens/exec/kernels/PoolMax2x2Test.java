package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolMax2x2Test {
    private static final float[] SPECIALS = {Float.NaN, Float.intBitsToFloat(0x7fc00123),
        Float.intBitsToFloat(0xffc00077), -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

    @Test
    void vectorFormMatchesTheScalarChainBitForBitWithSignedZerosAndNaNWhereverTheChainGivesNaN() {
        // Repeated so that the JIT-compiled vector code (not only the interpreter's fallback) is compared too.
        for (int round = 0; round < 200; round++) {
            sweep(new Random(11 + round));
        }
    }

    private static void sweep(Random rnd) {
        // Widths reach the wide loop, the half-width step and the scalar tail; odd sizes leave an unused column/row.
        for (int h = 2; h <= 9; h++) {
            for (int w : new int[] {2, 3, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 64, 70}) {
                float[] x = new float[h * w + 3];
                for (int i = 0; i < x.length; i++) {
                    int kind = rnd.nextInt(4);
                    x[i] = kind == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : kind == 1 ? 0f : (float) rnd.nextGaussian();
                }
                ConvGeometry g = ConvGeometry.of(new int[] {h, w}, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {h / 2, w / 2});
                float[] scalar = new float[g.outVolume() + 2];
                float[] vector = new float[g.outVolume() + 2];
                PoolRows.max2x2(g, x, 3, scalar, 1);
                PoolMax2x2.max2x2(g, x, 3, vector, 1);
                for (int i = 0; i < scalar.length; i++) {
                    if (Float.isNaN(scalar[i])) {
                        // Several NaNs in one window: either may come out (the JIT's lane max picks differently).
                        assertTrue(Float.isNaN(vector[i]), h + "x" + w + " output " + i);
                        continue;
                    }
                    assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                            h + "x" + w + " output " + i);
                }
            }
        }
    }
}
