package org.quantlens.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingTest {
    @Test
    void concatJoinsAlongTheFirstAxisAndSliceUndoesIt() {
        Tensor a = Tensor.ofLongs(Shape.of(1, 2), 1, 2);
        Tensor b = Tensor.ofLongs(Shape.of(2, 2), 3, 4, 5, 6);
        Tensor ab = Batching.concat(List.of(a, b));
        assertEquals(Shape.of(3, 2), ab.shape());
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, ab.longs());
        assertArrayEquals(new long[] {3, 4, 5, 6}, Batching.slice(ab, 1, 3).longs());
    }

    @Test
    void concatRejectsMismatchedTrailingDims() {
        Tensor a = Tensor.ofFloats(Shape.of(1, 2), 1, 2);
        Tensor b = Tensor.ofFloats(Shape.of(1, 3), 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> Batching.concat(List.of(a, b)));
    }

    @Test
    void halfPrecisionConversionsRoundToNearestEven() {
        assertEquals(1.0f, Float16.toFloat(Float16.fromFloat(1.0f)));
        assertEquals((short) 0x3c00, Float16.fromFloat(1.0f));
        // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties to even gives 1.
        assertEquals((short) 0x3c00, Float16.fromFloat(1.0f + 0x1p-11f));
        assertEquals((short) 0x7c00, Float16.fromFloat(70000f));
        assertEquals(0x1p-24f, Float16.toFloat((short) 1));
        assertEquals((short) 0x3f80, BFloat16.fromFloat(1.0f));
        assertEquals(1.0f, BFloat16.toFloat((short) 0x3f80));
    }
}
