package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.ShapeKernelHarness.in;
import static org.quantlens.exec.kernels.ShapeKernelHarness.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class SliceKernelTest {
    private static final Tensor ROWS = Tensor.ofInts(Shape.of(2, 4), 1, 2, 3, 4, 5, 6, 7, 8);

    private static Tensor v(long... x) {
        return Tensor.ofLongs(Shape.of(x.length), x);
    }

    @Test
    void takesStartsEndsAxesAndStepsFromInputs() {
        // The ONNX spec example: data [[1,2,3,4],[5,6,7,8]], starts [1,0], ends [2,3], steps [1,2] -> [[5,7]].
        Tensor out = run("Slice", 13, in(ROWS, v(1, 0), v(2, 3), v(0, 1), v(1, 2)));
        assertEquals(Shape.of(1, 2), out.shape());
        assertArrayEquals(new int[] {5, 7}, out.ints());
    }

    @Test
    void clampsEndsAndCountsNegativeStartsFromTheEnd() {
        // Spec example 2: starts [0,1], ends [-1,1000] -> [[2,3,4]].
        Tensor out = run("Slice", 13, in(ROWS, v(0, 1), v(-1, 1000)));
        assertArrayEquals(new int[] {2, 3, 4}, out.ints());
        assertEquals(Shape.of(1, 3), out.shape());
    }

    @Test
    void negativeStepWalksBackwards() {
        Tensor out = run("Slice", 13, in(ROWS, v(-1), v(Long.MIN_VALUE), v(1), v(-1)));
        assertArrayEquals(new int[] {4, 3, 2, 1, 8, 7, 6, 5}, out.ints());
        Tensor everyOther = run("Slice", 13, in(ROWS, v(Long.MAX_VALUE), v(0), v(-1), v(-2)));
        assertArrayEquals(new int[] {4, 2, 8, 6}, everyOther.ints());
    }

    @Test
    void emptyRangeGivesZeroLengthAxis() {
        Tensor out = run("Slice", 13, in(ROWS, v(3), v(1), v(1)));
        assertEquals(Shape.of(2, 0), out.shape());
    }

    @Test
    void readsAttributesBeforeOpset10() {
        Tensor bytes = Tensor.ofUint8(Shape.of(4), (byte) 200, (byte) 201, (byte) 202, (byte) 203);
        Tensor out = run("Slice", 9, in(bytes), Attribute.ofInts("starts", 1), Attribute.ofInts("ends", 3));
        assertArrayEquals(new byte[] {(byte) 201, (byte) 202}, out.bytes());
    }

    @Test
    void rejectsZeroStepsAndRepeatedAxes() {
        assertThrows(KernelException.class, () -> run("Slice", 13, in(ROWS, v(0), v(2), v(1), v(0))));
        assertThrows(KernelException.class, () -> run("Slice", 13, in(ROWS, v(0, 0), v(1, 1), v(1, -1))));
        assertThrows(KernelException.class, () -> run("Slice", 13, in(ROWS, v(0, 0), v(1))));
    }
}
