package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.runtime.RequantMode;

class RequantizerTest {

    @Test
    void fixedPointRoundsTiesUpwardWhileFloatRoundsHalfToEven() {
        Requantizer fixed = Requantizer.single(RequantMode.FIXED_POINT, 0.5, 0, -128, 127);
        Requantizer flt = Requantizer.single(RequantMode.FLOAT, 0.5, 0, -128, 127);
        // 5 * 0.5 = 2.5: gemmlowp's doubling high-mul rounds the tie up, rint to the even 2
        assertEquals(3, fixed.apply(5));
        assertEquals(2, flt.apply(5));
        // 3 * 0.5 = 1.5: both give 2
        assertEquals(2, fixed.apply(3));
        assertEquals(2, flt.apply(3));
        // -5 * 0.5 = -2.5: the high-mul tie goes toward +infinity (-2), rint to even (-2)
        assertEquals(-2, fixed.apply(-5));
        assertEquals(-2, flt.apply(-5));
    }

    @Test
    void zeroPointIsAddedAndTheResultClampedToTheRange() {
        Requantizer r = Requantizer.single(RequantMode.FIXED_POINT, 1.0, 10, 0, 20);
        assertEquals(20, r.apply(100));
        assertEquals(0, r.apply(-100));
        assertEquals(13, r.apply(3));
    }

    @Test
    void perChannelMultipliersApplyToTheirChannel() {
        Requantizer r = new Requantizer(RequantMode.FIXED_POINT, new double[] {0.25, 2.0}, 0, -1000, 1000);
        assertEquals(25, r.apply(100, 0));
        assertEquals(200, r.apply(100, 1));
    }

    @Test
    void fixedPointAndFloatAgreeWithinOneStepOnRandomAccumulators() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double m = Math.exp(-12 + 13 * rnd.nextDouble()); // 6e-6 .. 2.7
            int acc = rnd.nextInt(2_000_001) - 1_000_000;
            int fixed = Requantizer.single(RequantMode.FIXED_POINT, m, 0, Integer.MIN_VALUE, Integer.MAX_VALUE).apply(acc);
            int flt = Requantizer.single(RequantMode.FLOAT, m, 0, Integer.MIN_VALUE, Integer.MAX_VALUE).apply(acc);
            double exact = acc * m;
            // TFLite's multiply rounds twice (high-mul, then the shift), so it may miss the nearest integer but never
            // by a whole step; the Q31 mantissa adds a relative error of at most 2^-31
            assertTrue(Math.abs(fixed - exact) < 1 + 1e-9 * Math.abs(exact), "fixed " + fixed + " vs " + exact);
            assertTrue(Math.abs(fixed - flt) <= 1, acc + " * " + m + ": fixed " + fixed + ", float " + flt);
        }
    }

    @Test
    void anEmptyClampRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Requantizer.single(RequantMode.FLOAT, 1, 0, 5, 4));
    }
}
