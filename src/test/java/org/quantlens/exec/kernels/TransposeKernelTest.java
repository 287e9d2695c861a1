package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.ShapeKernelHarness.in;
import static org.quantlens.exec.kernels.ShapeKernelHarness.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class TransposeKernelTest {
    @Test
    void defaultPermutationReversesTheAxes() {
        // [[1,2,3],[4,5,6]] transposed is [[1,4],[2,5],[3,6]].
        Tensor x = Tensor.ofLongs(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor out = run("Transpose", 13, in(x));
        assertEquals(Shape.of(3, 2), out.shape());
        assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, out.longs());
    }

    @Test
    void explicitPermutationMovesInt8Elements() {
        // x[i][j][k] = 100i + 10j + k with shape [2,2,2]; perm [1,0,2] gives out[j][i][k] = x[i][j][k].
        byte[] v = {0, 1, 10, 11, 100, 101, 110, 111};
        Tensor out = run("Transpose", 13, in(Tensor.ofInt8(Shape.of(2, 2, 2), v)), Attribute.ofInts("perm", 1, 0, 2));
        assertArrayEquals(new byte[] {0, 1, 100, 101, 10, 11, 110, 111}, out.bytes());
    }

    @Test
    void bfloat16BitPatternsMoveUnchanged() {
        short[] bits = {(short) 0x7fc1, (short) 0x8000, 0x3f80, (short) 0xff80};
        Tensor x = Tensor.of(DType.BFLOAT16, Shape.of(2, 2), bits);
        Tensor out = run("Transpose", 13, in(x));
        assertEquals(DType.BFLOAT16, out.dtype());
        assertArrayEquals(new short[] {(short) 0x7fc1, 0x3f80, (short) 0x8000, (short) 0xff80}, out.shorts());
    }

    @Test
    void rejectsAPermThatIsNotAPermutation() {
        assertThrows(KernelException.class,
                () -> ShapeKernelHarness.kernel("Transpose", 13, in(), Attribute.ofInts("perm", 0, 0)));
        Tensor x = Tensor.ofFloats(Shape.of(2, 2, 2), new float[8]);
        assertThrows(KernelException.class, () -> run("Transpose", 13, in(x), Attribute.ofInts("perm", 1, 0)));
    }
}
