package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantSpecTest {
    private static void assertRange(int qmin, int qmax, QuantSpec spec) {
        assertEquals(qmin, spec.qmin(), "qmin of " + spec);
        assertEquals(qmax, spec.qmax(), "qmax of " + spec);
    }

    @Test
    void eightBitRangesAreTheTypeRanges() {
        assertRange(0, 255, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC));
        assertRange(-128, 127, QuantSpec.of(QuantScheme.INT8_ASYMMETRIC));
        assertRange(-127, 127, QuantSpec.of(QuantScheme.INT8_SYMMETRIC)); // TensorRT: threshold / 127
        assertRange(-128, 127, QuantSpec.of(QuantScheme.INT8_SYMMETRIC).withRestrictedSymmetric(false));
    }

    @Test
    void reducedRangeHalvesLikePyTorch() {
        assertRange(0, 127, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC).withReduceRange(true));
        assertRange(-64, 63, QuantSpec.of(QuantScheme.INT8_ASYMMETRIC).withReduceRange(true));
        assertRange(-63, 63, QuantSpec.of(QuantScheme.INT8_SYMMETRIC).withReduceRange(true));
    }

    @Test
    void bitsNarrowEveryScheme() {
        assertRange(0, 15, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, 4));
        assertRange(-8, 7, QuantSpec.of(QuantScheme.INT8_ASYMMETRIC, 4));
        assertRange(-7, 7, QuantSpec.of(QuantScheme.INT8_SYMMETRIC, 4));
        assertRange(-1, 1, QuantSpec.of(QuantScheme.INT8_SYMMETRIC, 2));
        assertRange(0, 65535, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, 16));
        assertRange(-32767, 32767, QuantSpec.of(QuantScheme.INT8_SYMMETRIC, 16));
    }

    @Test
    void bitsOutsideTwoToSixteenAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, 1));
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, 17));
        assertThrows(IllegalArgumentException.class, () -> new QuantSpec(null, 8, false, false, false));
    }

    @Test
    void defaultsAreUint8ActivationsAndInt8SymmetricWeights() {
        assertEquals(QuantScheme.UINT8_ASYMMETRIC, QuantSpec.activationsDefault().scheme());
        assertEquals(QuantScheme.INT8_SYMMETRIC, QuantSpec.weightsDefault().scheme());
        assertRange(-127, 127, QuantSpec.weightsDefault());
    }
}
