package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Golden values worked out from TFLite's QuantizeMultiplier definition (frexp, round, 2^31 case, flush). */
class QuantizedMultiplierTest {
    private static void assertQm(int multiplier, int shift, double m) {
        QuantizedMultiplier qm = QuantizedMultiplier.quantize(m);
        assertEquals(multiplier, qm.multiplier(), "multiplier of " + m);
        assertEquals(shift, qm.shift(), "shift of " + m);
    }

    @Test
    void powersOfTwoAndSimpleFractions() {
        assertQm(1 << 30, 0, 0.5);       // frexp(0.5) = (0.5, 0)
        assertQm(1 << 30, 1, 1.0);       // frexp(1) = (0.5, 1)
        assertQm(3 << 29, 0, 0.75);      // 0.75 * 2^31
        assertQm(1 << 30, 2, 2.0);
        assertQm(-(1 << 30), 0, -0.5);
        assertQm(1431655765, -1, 1.0 / 3); // frexp = (2/3, -1), 2^32 / 3 = 1431655765.33
        assertQm(0, 0, 0.0);
    }

    @Test
    void mantissaThatRoundsUpToOneMovesIntoTheShift() {
        assertQm(1 << 30, 1, 1.0 - 0x1p-40); // q * 2^31 = 2^31 - 2^-9 rounds to 2^31
    }

    @Test
    void tinyMultipliersFlushToZeroBelowShiftMinus31() {
        assertQm(1 << 30, -31, 0x1p-32);  // frexp = (0.5, -31): kept
        assertQm(0, 0, 0x1p-33);          // shift -32 < -31: flushed
        assertQm(0, 0, Double.MIN_VALUE);
    }

    @Test
    void representedValueIsCloseToTheInput() {
        double m = 0.0123456789;
        assertEquals(m, QuantizedMultiplier.quantize(m).toDouble(), m * 0x1p-30);
        assertThrows(IllegalArgumentException.class, () -> QuantizedMultiplier.quantize(Double.NaN));
    }
}
