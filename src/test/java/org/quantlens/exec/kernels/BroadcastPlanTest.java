package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.tensor.Shape;

class BroadcastPlanTest {

    @Test
    void equalShapesBecomeOneContiguousRow() {
        BroadcastPlan p = BroadcastPlan.of(Shape.of(2, 3, 4), Shape.of(2, 3, 4));
        assertEquals(Shape.of(2, 3, 4), p.outShape());
        assertEquals(1, p.rows());
        assertEquals(24, p.inner());
        assertEquals(1, p.aStep());
        assertEquals(1, p.bStep());
    }

    @Test
    void scalarOperandRepeatsOneValue() {
        BroadcastPlan p = BroadcastPlan.of(Shape.scalar(), Shape.of(3, 5));
        assertEquals(Shape.of(3, 5), p.outShape());
        assertEquals(1, p.rows());
        assertEquals(15, p.inner());
        assertEquals(0, p.aStep());
        assertEquals(1, p.bStep());
    }

    @Test
    void trailingVectorGivesRowsThatRestartB() {
        BroadcastPlan p = BroadcastPlan.of(Shape.of(3, 4, 5), Shape.of(5));
        assertEquals(12, p.rows());
        assertEquals(5, p.inner());
        assertEquals(1, p.bStep());
        assertEquals(55, p.aRowStart()[11]);
        assertArrayEquals(new int[12], p.bRowStart());
    }

    @Test
    void bothSidesBroadcastInterleaved() {
        // [2,1,3] + [4,1] -> [2,4,3]: out (i,j,k) reads a[i*3+k] and b[j]
        BroadcastPlan p = BroadcastPlan.of(Shape.of(2, 1, 3), Shape.of(4, 1));
        assertEquals(Shape.of(2, 4, 3), p.outShape());
        assertEquals(8, p.rows());
        assertEquals(3, p.inner());
        assertEquals(1, p.aStep());
        assertEquals(0, p.bStep());
        assertArrayEquals(new int[] {0, 0, 0, 0, 3, 3, 3, 3}, p.aRowStart());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, p.bRowStart());
    }

    @Test
    void zeroExtentBroadcastsAgainstOneAndGivesNoRows() {
        BroadcastPlan p = BroadcastPlan.of(Shape.of(0, 3), Shape.of(1, 3));
        assertEquals(Shape.of(0, 3), p.outShape());
        assertEquals(0, p.rows());
    }

    @Test
    void incompatibleDimensionsAreRejected() {
        KernelException e = assertThrows(KernelException.class, () -> BroadcastPlan.of(Shape.of(3), Shape.of(4)));
        assertEquals("shapes [3] and [4] do not broadcast (dimension 0)", e.getMessage());
    }
}
