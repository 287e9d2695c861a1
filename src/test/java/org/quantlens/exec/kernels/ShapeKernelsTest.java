package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.exec.kernels.ShapeKernelHarness.in;
import static org.quantlens.exec.kernels.ShapeKernelHarness.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ShapeKernelsTest {
    private static Tensor longs(int[] dims, long... v) {
        return Tensor.ofLongs(Shape.of(dims), v);
    }

    private static Tensor axes(long... v) {
        return Tensor.ofLongs(Shape.of(v.length), v);
    }

    private static Tensor iota(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.ofFloats(s, v);
    }

    @Test
    void concatJoinsInt64AlongNegativeAxis() {
        Tensor a = longs(new int[] {2, 2}, 1, 2, 3, 4);
        Tensor b = longs(new int[] {2, 1}, 5, 6);
        Tensor out = run("Concat", 13, in(a, b), Attribute.ofInt("axis", -1));
        assertEquals(Shape.of(2, 3), out.shape());
        assertArrayEquals(new long[] {1, 2, 5, 3, 4, 6}, out.longs());
    }

    @Test
    void concatJoinsBoolsAlongFirstAxisAndSkipsEmptyOperands() {
        Tensor a = Tensor.ofBools(Shape.of(1, 2), true, false);
        Tensor empty = Tensor.ofBools(Shape.of(0, 2));
        Tensor b = Tensor.ofBools(Shape.of(1, 2), false, true);
        Tensor out = run("Concat", 13, in(a, empty, b), Attribute.ofInt("axis", 0));
        assertEquals(Shape.of(2, 2), out.shape());
        assertArrayEquals(new boolean[] {true, false, false, true}, out.bools());
    }

    @Test
    void concatRejectsOperandsThatDifferOffTheAxis() {
        Tensor a = iota(2, 2);
        Tensor b = iota(3, 1);
        assertThrows(KernelException.class, () -> run("Concat", 13, in(a, b), Attribute.ofInt("axis", 1)));
    }

    @Test
    void concatRejectsMixedDtypes() {
        Tensor a = iota(1);
        Tensor b = longs(new int[] {1}, 1);
        assertThrows(KernelException.class, () -> run("Concat", 13, in(a, b), Attribute.ofInt("axis", 0)));
    }

    @Test
    void concatBeforeOpset4DefaultsToAxisOne() {
        Tensor out = run("Concat", 1, in(longs(new int[] {1, 1}, 1), longs(new int[] {1, 1}, 2)));
        assertEquals(Shape.of(1, 2), out.shape());
    }

    @Test
    void concatNeedsTheAxisAttribute() {
        assertThrows(KernelException.class, () -> ShapeKernelHarness.kernel("Concat", 13, in(iota(1))));
    }

    @Test
    void flattenAxisZeroGivesOneRow() {
        Tensor out = run("Flatten", 13, in(iota(2, 3, 4)), Attribute.ofInt("axis", 0));
        assertEquals(Shape.of(1, 24), out.shape());
    }

    @Test
    void flattenNegativeAxisCountsFromTheEndAndDefaultsToOne() {
        assertEquals(Shape.of(6, 4), run("Flatten", 13, in(iota(2, 3, 4)), Attribute.ofInt("axis", -1)).shape());
        assertEquals(Shape.of(2, 12), run("Flatten", 13, in(iota(2, 3, 4))).shape());
        assertEquals(Shape.of(24, 1), run("Flatten", 13, in(iota(2, 3, 4)), Attribute.ofInt("axis", 3)).shape());
    }

    @Test
    void flattenRejectsAxisBeyondRank() {
        assertThrows(KernelException.class, () -> run("Flatten", 13, in(iota(2, 3)), Attribute.ofInt("axis", 3)));
    }

    @Test
    void reshapeZeroCopiesTheDimAndMinusOneIsInferred() {
        Tensor x = iota(2, 3, 4);
        Tensor out = run("Reshape", 14, in(x, axes(0, -1)));
        assertEquals(Shape.of(2, 12), out.shape());
        assertSame(x.data(), out.data(), "Reshape is a view");
    }

    @Test
    void reshapeWithAllowZeroKeepsZeroDims() {
        Tensor x = Tensor.ofFloats(Shape.of(0, 3, 4));
        Tensor out = run("Reshape", 14, in(x, axes(3, 4, 0)), Attribute.ofInt("allowzero", 1));
        assertEquals(Shape.of(3, 4, 0), out.shape());
    }

    @Test
    void reshapeReadsTheShapeAttributeBeforeOpset5() {
        Tensor out = run("Reshape", 4, in(iota(2, 3)), Attribute.ofInts("shape", 3, 2));
        assertEquals(Shape.of(3, 2), out.shape());
    }

    @Test
    void reshapeRejectsBadTargets() {
        Tensor x = iota(2, 3, 4);
        assertThrows(KernelException.class, () -> run("Reshape", 14, in(x, axes(5, 5))));
        assertThrows(KernelException.class, () -> run("Reshape", 14, in(x, axes(-1, -1))));
        assertThrows(KernelException.class, () -> run("Reshape", 14, in(x, axes(-1, 5))));
        assertThrows(KernelException.class, () -> run("Reshape", 14, in(x, axes(24, -2))));
        assertThrows(KernelException.class, () -> run("Reshape", 14, in(x, axes(2, 3, 4, 0))));
        Tensor empty = Tensor.ofFloats(Shape.of(0, 3));
        assertThrows(KernelException.class,
                () -> run("Reshape", 14, in(empty, axes(0, -1)), Attribute.ofInt("allowzero", 1)));
    }

    @Test
    void squeezeTakesAxesFromAttributeBeforeOpset13AndInputAfter() {
        Tensor x = iota(1, 3, 1, 5);
        assertEquals(Shape.of(1, 3, 5), run("Squeeze", 11, in(x), Attribute.ofInts("axes", -2)).shape());
        assertEquals(Shape.of(3, 1, 5), run("Squeeze", 13, in(x, axes(0))).shape());
        assertEquals(Shape.of(3, 5), run("Squeeze", 13, in(x, axes(2, 0))).shape());
    }

    @Test
    void squeezeWithoutAxesDropsEveryUnitDim() {
        assertEquals(Shape.of(3, 5), run("Squeeze", 13, in(iota(1, 3, 1, 5))).shape());
        assertEquals(Shape.scalar(), run("Squeeze", 13, in(iota(1, 1))).shape());
        assertEquals(Shape.of(3), run("Squeeze", 13, in(iota(1, 3), axes())).shape());
    }

    @Test
    void squeezeRejectsAnAxisWhoseSizeIsNotOne() {
        assertThrows(KernelException.class, () -> run("Squeeze", 13, in(iota(1, 3), axes(1))));
        assertThrows(KernelException.class, () -> run("Squeeze", 13, in(iota(1, 3), axes(2))));
    }

    @Test
    void unsqueezeInsertsAtUnsortedAndNegativeOutputPositions() {
        Tensor x = iota(3, 4, 5);
        assertEquals(Shape.of(3, 4, 1, 5, 1, 1), run("Unsqueeze", 13, in(x, axes(5, 4, 2))).shape());
        assertEquals(Shape.of(3, 4, 5, 1), run("Unsqueeze", 13, in(x, axes(-1))).shape());
        assertEquals(Shape.of(1, 3, 4, 5), run("Unsqueeze", 11, in(x), Attribute.ofInts("axes", 0)).shape());
        assertEquals(Shape.of(1), run("Unsqueeze", 13, in(Tensor.scalar(2f), axes(0))).shape());
    }

    @Test
    void unsqueezeRejectsRepeatedOrOutOfRangeAxes() {
        assertThrows(KernelException.class, () -> run("Unsqueeze", 13, in(iota(3), axes(0, 0))));
        assertThrows(KernelException.class, () -> run("Unsqueeze", 13, in(iota(3), axes(2))));
    }

    @Test
    void shapeSlicesWithClampedStartAndEnd() {
        Tensor x = iota(3, 4, 5);
        assertArrayEquals(new long[] {3, 4, 5}, run("Shape", 15, in(x)).longs());
        assertArrayEquals(new long[] {5}, run("Shape", 15, in(x), Attribute.ofInt("start", -1)).longs());
        assertArrayEquals(new long[] {3, 4, 5}, run("Shape", 15, in(x), Attribute.ofInt("end", 10)).longs());
        assertArrayEquals(new long[] {4}, run("Shape", 15, in(x), Attribute.ofInt("start", 1),
                Attribute.ofInt("end", -1)).longs());
        assertArrayEquals(new long[] {3}, run("Shape", 15, in(x), Attribute.ofInt("start", -10),
                Attribute.ofInt("end", 1)).longs());
    }

    @Test
    void shapeWithStartAfterEndIsEmpty() {
        Tensor out = run("Shape", 15, in(iota(3, 4, 5)), Attribute.ofInt("start", 2), Attribute.ofInt("end", 1));
        assertEquals(DType.INT64, out.dtype());
        assertEquals(Shape.of(0), out.shape());
    }

    @Test
    void constantReturnsEachValueForm() {
        Tensor t = Tensor.ofInts(Shape.of(2), 7, 8);
        assertSame(t, run("Constant", 13, in(), Attribute.ofTensor("value", t)));
        Tensor f = run("Constant", 13, in(), Attribute.ofFloat("value_float", 1.5f));
        assertEquals(Shape.scalar(), f.shape());
        assertEquals(1.5f, f.floats()[0]);
        assertArrayEquals(new float[] {1f, 2f}, run("Constant", 13, in(), Attribute.ofFloats("value_floats", 1f, 2f)).floats());
        Tensor i = run("Constant", 13, in(), Attribute.ofInt("value_int", -3));
        assertEquals(DType.INT64, i.dtype());
        assertArrayEquals(new long[] {-3}, i.longs());
        assertArrayEquals(new long[] {4, 5}, run("Constant", 13, in(), Attribute.ofInts("value_ints", 4, 5)).longs());
    }

    @Test
    void constantRejectsSparseAndAmbiguousValues() {
        KernelException e = assertThrows(KernelException.class, () -> ShapeKernelHarness.kernel("Constant", 13, in(),
                new Attribute("sparse_value", Attribute.Kind.UNSUPPORTED, null)));
        assertTrue(e.getMessage().contains("sparse"), e.getMessage());
        assertThrows(KernelException.class, () -> ShapeKernelHarness.kernel("Constant", 13, in(),
                Attribute.ofInt("value_int", 1), Attribute.ofFloat("value_float", 1f)));
        assertThrows(KernelException.class, () -> ShapeKernelHarness.kernel("Constant", 13, in()));
    }
}
