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

class GatherKernelTest {
    // [[1.0,1.2],[2.3,3.4],[4.5,5.7]] as in the ONNX spec examples.
    private static final Tensor DATA = Tensor.ofFloats(Shape.of(3, 2), 1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f);

    @Test
    void axisZeroWithMatrixOfIndices() {
        Tensor idx = Tensor.ofLongs(Shape.of(2, 2), 0, 1, 1, 2);
        Tensor out = run("Gather", 13, in(DATA, idx));
        assertEquals(Shape.of(2, 2, 2), out.shape());
        assertArrayEquals(new float[] {1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f}, out.floats());
    }

    @Test
    void negativeAxisAndNegativeInt32Indices() {
        Tensor idx = Tensor.ofInts(Shape.of(1, 2), -1, 0);
        Tensor out = run("Gather", 13, in(DATA, idx), Attribute.ofInt("axis", -1));
        assertEquals(Shape.of(3, 1, 2), out.shape());
        assertArrayEquals(new float[] {1.2f, 1.0f, 3.4f, 2.3f, 5.7f, 4.5f}, out.floats());
    }

    @Test
    void scalarIndexRemovesTheAxisForBoolData() {
        Tensor bools = Tensor.ofBools(Shape.of(2, 3), true, false, false, false, true, true);
        Tensor out = run("Gather", 13, in(bools, Tensor.ofLongs(Shape.scalar(), 1)), Attribute.ofInt("axis", 1));
        assertEquals(Shape.of(2), out.shape());
        assertArrayEquals(new boolean[] {false, true}, out.bools());
    }

    @Test
    void indexOutOfRangeIsAKernelException() {
        assertThrows(KernelException.class, () -> run("Gather", 13, in(DATA, Tensor.ofLongs(Shape.of(1), 3))));
        assertThrows(KernelException.class, () -> run("Gather", 13, in(DATA, Tensor.ofLongs(Shape.of(1), -4))));
        assertThrows(KernelException.class,
                () -> run("Gather", 13, in(DATA, Tensor.ofLongs(Shape.of(1), 0)), Attribute.ofInt("axis", 2)));
    }
}
