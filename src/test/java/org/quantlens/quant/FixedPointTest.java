package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden values worked out by hand from gemmlowp's definitions. */
class FixedPointTest {
    @Test
    void doublingHighMulSaturatesOnlyMinTimesMin() {
        assertEquals(Integer.MAX_VALUE,
                FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // MIN * MAX = -(2^62 - 2^31): 2ab / 2^32 = -(2^31 - 1), exact
        assertEquals(-Integer.MAX_VALUE,
                FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void doublingHighMulRoundsToNearestWithTiesUp() {
        assertEquals(1 << 29, FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
        // (2^31-1)^2 * 2 / 2^32 = 2^31 - 2 + 2^-31 -> 2^31 - 2
        assertEquals(Integer.MAX_VALUE - 1,
                FixedPoint.saturatingRoundingDoublingHighMul(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(1, FixedPoint.saturatingRoundingDoublingHighMul(1, 1 << 30));    // 0.5 -> 1
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(-1, 1 << 30));   // -0.5 -> 0
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30));  // -1.5 -> -1
        assertEquals(-2, FixedPoint.saturatingRoundingDoublingHighMul(-7, 1 << 29));  // -1.75 -> -2
    }

    @Test
    void roundingDivideByPotRoundsHalfAwayFromZero() {
        assertEquals(3, FixedPoint.roundingDivideByPot(5, 1));
        assertEquals(-3, FixedPoint.roundingDivideByPot(-5, 1));
        assertEquals(2, FixedPoint.roundingDivideByPot(3, 1));
        assertEquals(-2, FixedPoint.roundingDivideByPot(-3, 1));
        assertEquals(2, FixedPoint.roundingDivideByPot(6, 2));
        assertEquals(-2, FixedPoint.roundingDivideByPot(-6, 2));
        assertEquals(2, FixedPoint.roundingDivideByPot(7, 2));
        assertEquals(1, FixedPoint.roundingDivideByPot(5, 2));
        assertEquals(-1, FixedPoint.roundingDivideByPot(-5, 2));
        assertEquals(12345, FixedPoint.roundingDivideByPot(12345, 0));
        assertEquals(-1, FixedPoint.roundingDivideByPot(Integer.MIN_VALUE, 31));
        assertEquals(1, FixedPoint.roundingDivideByPot(Integer.MAX_VALUE, 31));
        assertEquals(-1, FixedPoint.roundingDivideByPot(-(1 << 30), 31)); // -0.5 -> -1
        assertEquals(0, FixedPoint.roundingDivideByPot((1 << 30) - 1, 31));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.roundingDivideByPot(1, 32));
    }

    @Test
    void multiplyByQuantizedMultiplierOnExactMultipliers() {
        assertEquals(50, FixedPoint.multiplyByQuantizedMultiplier(100, QuantizedMultiplier.quantize(0.5)));
        assertEquals(300, FixedPoint.multiplyByQuantizedMultiplier(100, QuantizedMultiplier.quantize(3.0)));
        assertEquals(-75, FixedPoint.multiplyByQuantizedMultiplier(-100, QuantizedMultiplier.quantize(0.75)));
        // 0.25 = (2^30, shift -1). 5 * 0.25: high mul gives 5 * 0.5 = 2.5 -> 3 (ties up), then 3 / 2 = 1.5 -> 2:
        // the double rounding of TFLite's reference, one above round(1.25) = 1
        assertEquals(2, FixedPoint.multiplyByQuantizedMultiplier(5, QuantizedMultiplier.quantize(0.25)));
        assertEquals(1, FixedPoint.multiplyByQuantizedMultiplier(4, QuantizedMultiplier.quantize(0.25)));
        // 6 * 0.25: high mul 3 exactly, 3 / 2 = 1.5 -> 2 (away from zero); -6 -> -2
        assertEquals(2, FixedPoint.multiplyByQuantizedMultiplier(6, QuantizedMultiplier.quantize(0.25)));
        assertEquals(-2, FixedPoint.multiplyByQuantizedMultiplier(-6, QuantizedMultiplier.quantize(0.25)));
    }

    @Test
    void multiplyByQuantizedMultiplierIsWithinOneOfTheRealProduct() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double m = i % 2 == 0 ? rnd.nextDouble(1e-6, 1.0) : rnd.nextDouble(1.0, 100.0);
            int bound = m < 1 ? Integer.MAX_VALUE : (int) ((1 << 24) / 1.0);
            int x = rnd.nextInt(-bound, bound);
            QuantizedMultiplier qm = QuantizedMultiplier.quantize(m);
            long expected = Math.round(x * m);
            int got = FixedPoint.multiplyByQuantizedMultiplier(x, qm);
            assertTrue(Math.abs(got - expected) <= 1, () -> "x=" + x + " m=" + m + " got " + got
                    + " expected " + expected);
        }
    }
}
