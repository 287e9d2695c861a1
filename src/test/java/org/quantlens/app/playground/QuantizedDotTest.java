package org.quantlens.app.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The panel's default example worked by hand, every scale a power of two so each step is exact:
 * x in [0, 255/128] on int8 asymmetric: s_x = (255/128)/255 = 1/128, z_x = round(-128 - 0) = -128, so
 * q_x = 128 x - 128 = (-128, -64, 0, 127); w absmax 127/64 on [-127, 127]: s_w = 1/64,
 * q_w = 64 w = (64, -32, 16, -127); acc = 0*64 + 64*(-32) + 128*16 + 255*(-127) = -32385;
 * output [-4, 255/32 - 4]: s_y = 1/32, z_y = round(-128 + 128) = 0;
 * M = (1/128)(1/64)/(1/32) = 2^-8 = 0.5 * 2^-7, so multiplier 2^30 and shift -7;
 * acc * M = -126.50390625, nearest -127; result -127/32 = -3.96875; exact -(255*127)/8192 = -3.9532470703125.
 */
class QuantizedDotTest {
    private static final float[] X = {0f, 0.5f, 1f, 1.9921875f};
    private static final float[] W = {1f, -0.5f, 0.25f, -1.984375f};

    @Test
    void workedExampleMatchesHandComputation() {
        QuantizedDot d = QuantizedDot.of(X, W, -4, 3.96875);
        assertEquals(1f / 128, d.xParams().scale());
        assertEquals(-128, d.xParams().zeroPoint());
        assertEquals(1f / 64, d.wParams().scale());
        assertArrayEquals(new int[] {-128, -64, 0, 127}, d.qx());
        assertArrayEquals(new int[] {64, -32, 16, -127}, d.qw());
        assertEquals(-32385, d.accumulator());
        assertEquals(1f / 32, d.yParams().scale());
        assertEquals(0, d.yParams().zeroPoint());
        assertEquals(0x1p-8, d.realMultiplier());
        assertEquals(1 << 30, d.multiplier().multiplier());
        assertEquals(-7, d.multiplier().shift());
        assertEquals(-127, d.requantized());
        assertEquals(-127, d.floatRequantized());
        assertEquals(-3.96875, d.result());
        assertEquals(-32385.0 / 8192, d.exact(), 1e-15);
    }

    @Test
    void tooNarrowAnOutputRangeSaturates() {
        // output [-1, 1]: s_y = 2/255, the true -3.95 lies far below -1, so q_y is the int8 minimum
        QuantizedDot d = QuantizedDot.of(X, W, -1, 1);
        assertEquals(-128, d.requantized());
    }

    @Test
    void boundHoldsEveryResult() {
        assertEquals(0 + 0.25 + 0.25 + 1.9921875 * 1.984375, QuantizedDot.bound(X, W), 1e-12);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuantizedDot.of(new float[] {1}, new float[] {1, 2}, -1, 1));
    }
}
