package org.quantlens.app.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

class MappingTest {
    @Test
    void minusOneToOneOnUint8HasScaleTwoOver255AndZeroPointAtTheMiddle() {
        Mapping m = Mapping.of(new float[0], -1, 1, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC));
        assertEquals((float) (2.0 / 255), m.scale());
        // 0 - (-1) / (2/255) = 127.5: either neighbour, depending on the last bit of the double quotient
        assertEquals(0.5, Math.abs(m.zeroPoint() - 127.5), 1e-12);
        assertEquals(0, m.qmin());
        assertEquals(255, m.qmax());
    }

    @Test
    void symmetricInt8UsesThe127RangeWithZeroPointZero() {
        Mapping m = Mapping.of(new float[0], -1, 1, QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        assertEquals((float) (1.0 / 127), m.scale());
        assertEquals(0, m.zeroPoint());
        assertEquals(-127, m.qmin());
        assertEquals(1.0, m.clipMax(), 1e-6);
    }

    @Test
    void clippedFractionAndExactValuesGiveInfiniteSqnr() {
        // codes of scale 1/127: 0 and +-1 are exact; 2 and -3 lie outside [-1, 1]
        Mapping exact = Mapping.of(new float[] {0f, 1f, -1f}, -1, 1, QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        assertEquals(Double.POSITIVE_INFINITY, exact.sqnrDb());
        Mapping clipped = Mapping.of(new float[] {0f, 1f, 2f, -3f}, -1, 1, QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        assertEquals(0.5, clipped.clipped(), 1e-12);
        // signal 0 + 1 + 4 + 9 = 14, noise (2-1)^2 + (-3+1)^2 = 5
        assertEquals(10 * Math.log10(14.0 / 5), clipped.sqnrDb(), 1e-6);
    }
}
