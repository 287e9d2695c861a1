package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantSchemeTest {
    @Test
    void cliNamesAreTheContractNamesAndRoundTrip() {
        assertEquals("uint8-asymmetric", QuantScheme.UINT8_ASYMMETRIC.cliName());
        assertEquals("int8-symmetric", QuantScheme.INT8_SYMMETRIC.cliName());
        assertEquals("int8-asymmetric", QuantScheme.INT8_ASYMMETRIC.cliName());
        for (QuantScheme s : QuantScheme.values()) {
            assertEquals(s, QuantScheme.fromCliName(s.cliName()));
        }
    }

    @Test
    void unknownNameIsRejectedWithTheAcceptedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantScheme.fromCliName("int4-weird"));
        assertTrue(e.getMessage().contains("uint8-asymmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantScheme.fromCliName(null));
    }

    @Test
    void signednessAndSymmetryFollowTheName() {
        assertFalse(QuantScheme.UINT8_ASYMMETRIC.signed());
        assertFalse(QuantScheme.UINT8_ASYMMETRIC.symmetric());
        assertTrue(QuantScheme.INT8_SYMMETRIC.signed());
        assertTrue(QuantScheme.INT8_SYMMETRIC.symmetric());
        assertTrue(QuantScheme.INT8_ASYMMETRIC.signed());
        assertFalse(QuantScheme.INT8_ASYMMETRIC.symmetric());
    }
}
