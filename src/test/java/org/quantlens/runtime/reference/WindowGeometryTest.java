package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;

class WindowGeometryTest {
    private static WindowGeometry of(int in, Attribute... a) {
        return WindowGeometry.of(Node.of("p", "MaxPool", List.of("x"), List.of("y"), a), in, in, null);
    }

    @Test
    void explicitPadsFloorAndCeilMode() {
        // (5 + 0 - 2) / 2 + 1 = 2 (floor), ceil gives 3
        assertEquals(2, of(5, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInts("strides", 2, 2)).outH());
        assertEquals(3, of(5, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInts("strides", 2, 2),
                Attribute.ofInt("ceil_mode", 1)).outH());
        // ceil mode drops a window starting in the end padding: in 4, k 2, s 2, pads 1/1: ceil(4/2)+1 = 3, stays 3
        assertEquals(3, of(4, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInts("strides", 2, 2),
                Attribute.ofInts("pads", 1, 1, 1, 1), Attribute.ofInt("ceil_mode", 1)).outH());
    }

    @Test
    void samePaddingPutsTheOddPixelAtTheEndForUpperAndTheStartForLower() {
        WindowGeometry upper = of(5, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofString("auto_pad", "SAME_UPPER"));
        assertEquals(5, upper.outH());
        assertEquals(0, upper.padTop());
        assertEquals(1, upper.padBottom());
        WindowGeometry lower = of(5, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofString("auto_pad", "SAME_LOWER"));
        assertEquals(1, lower.padTop());
        assertEquals(0, lower.padBottom());
    }

    @Test
    void validPaddingAndDilation() {
        // effective kernel 2 * (3 - 1) + 1 = 5: (7 - 5 + 1) = 3 outputs
        WindowGeometry g = of(7, Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("dilations", 2, 2),
                Attribute.ofString("auto_pad", "VALID"), Attribute.ofInts("pads", 3, 3, 3, 3));
        assertEquals(3, g.outW());
        assertEquals(0, g.padLeft());
    }

    @Test
    void badWindowsAreKernelErrors() {
        assertThrows(KernelException.class, () -> of(3, Attribute.ofInts("kernel_shape", 5, 5)));
        assertThrows(KernelException.class, () -> of(3, Attribute.ofInts("kernel_shape", 2)));
        assertThrows(KernelException.class, () -> of(3, Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofInts("strides", 0, 1)));
        assertThrows(KernelException.class, () -> of(3, Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofString("auto_pad", "BOGUS")));
    }
}
