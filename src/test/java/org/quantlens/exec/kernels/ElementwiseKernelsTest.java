package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.Kernels.in;
import static org.quantlens.exec.kernels.Kernels.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ElementwiseKernelsTest {

    private static float[] iota(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * scale;
        }
        return v;
    }

    @Test
    void addsEqualShapes() {
        Tensor r = run("Add", 14, in(Tensor.ofFloats(Shape.of(3), 1, 2, 3), Tensor.ofFloats(Shape.of(3), 10, 20, 30)));
        assertArrayEquals(new float[] {11, 22, 33}, r.floats());
    }

    @Test
    void addsTrailingVectorToEveryRow() {
        Tensor a = Tensor.ofFloats(Shape.of(3, 4, 5), iota(60, 1));
        Tensor b = Tensor.ofFloats(Shape.of(5), 0, 100, 200, 300, 400);
        Tensor r = run("Add", 14, in(a, b));
        assertEquals(Shape.of(3, 4, 5), r.shape());
        for (int i = 0; i < 60; i++) {
            assertEquals(i + 100 * (i % 5), r.floats()[i], 0f, "element " + i);
        }
    }

    @Test
    void broadcastsBothOperandsTwoOneThreeWithFourOne() {
        Tensor a = Tensor.ofFloats(Shape.of(2, 1, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = Tensor.ofFloats(Shape.of(4, 1), 10, 20, 30, 40);
        Tensor r = run("Mul", 14, in(a, b));
        assertEquals(Shape.of(2, 4, 3), r.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    float expected = (i * 3 + k + 1) * (10 * (j + 1));
                    assertEquals(expected, r.floats()[(i * 4 + j) * 3 + k], 0f);
                }
            }
        }
    }

    @Test
    void scalarOnEitherSide() {
        Tensor v = Tensor.ofFloats(Shape.of(2, 2), 1, 2, 4, 8);
        assertArrayEquals(new float[] {9, 8, 6, 2}, run("Sub", 14, in(Tensor.scalar(10), v)).floats());
        assertArrayEquals(new float[] {0.5f, 1, 2, 4}, run("Div", 14, in(v, Tensor.scalar(2))).floats());
    }

    @Test
    void floatDivisionByZeroIsInfinityOrNaN() {
        Tensor r = run("Div", 14, in(Tensor.ofFloats(Shape.of(3), 1, -1, 0), Tensor.ofFloats(Shape.of(3), 0, 0, 0)));
        assertEquals(Float.POSITIVE_INFINITY, r.floats()[0]);
        assertEquals(Float.NEGATIVE_INFINITY, r.floats()[1]);
        assertEquals(Float.NaN, r.floats()[2]);
    }

    @Test
    void unsignedBytesWrapAroundModulo256() {
        Tensor a = Tensor.ofUint8(Shape.of(3), (byte) 200, (byte) 3, (byte) 16);
        Tensor b = Tensor.ofUint8(Shape.of(3), (byte) 100, (byte) 5, (byte) 16);
        assertEquals(44, run("Add", 14, in(a, b)).bytes()[0] & 0xff);
        assertEquals(254, run("Sub", 14, in(a, b)).bytes()[1] & 0xff);
        assertEquals(0, run("Mul", 14, in(a, b)).bytes()[2] & 0xff);
        assertEquals(2, run("Div", 14, in(a, b)).bytes()[0] & 0xff); // 200 / 100, unsigned
    }

    @Test
    void signedIntegersWrapAtTheirWidth() {
        assertEquals(-128, run("Add", 14, in(Tensor.ofInt8(Shape.of(1), (byte) 127), Tensor.ofInt8(Shape.of(1), (byte) 1))).bytes()[0]);
        assertEquals(-128, run("Div", 14, in(Tensor.ofInt8(Shape.of(1), (byte) -128), Tensor.ofInt8(Shape.of(1), (byte) -1))).bytes()[0]);
        Tensor s = Tensor.of(DType.INT16, Shape.of(1), new short[] {300});
        assertEquals((short) 24464, run("Mul", 14, in(s, s)).shorts()[0]); // 90000 mod 65536
        assertEquals(Integer.MIN_VALUE, run("Add", 14, in(Tensor.ofInts(Shape.of(1), Integer.MAX_VALUE), Tensor.ofInts(Shape.of(1), 1))).ints()[0]);
        assertEquals(Long.MIN_VALUE, run("Add", 14, in(Tensor.ofLongs(Shape.of(1), Long.MAX_VALUE), Tensor.ofLongs(Shape.of(1), 1))).longs()[0]);
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        Tensor r = run("Div", 14, in(Tensor.ofInts(Shape.of(4), -7, 7, -7, 7), Tensor.ofInts(Shape.of(4), 2, -2, -2, 2)));
        assertArrayEquals(new int[] {-3, -3, 3, 3}, r.ints());
        Tensor l = run("Div", 14, in(Tensor.ofLongs(Shape.of(2), -9, 9), Tensor.ofLongs(Shape.scalar(), 4)));
        assertArrayEquals(new long[] {-2, 2}, l.longs());
    }

    @Test
    void integerDivisionByZeroIsAKernelException() {
        KernelException e = assertThrows(KernelException.class, () -> run("Div", 14,
                in(Tensor.ofInts(Shape.of(2), 1, 2), Tensor.ofInts(Shape.of(2), 1, 0))));
        assertEquals("integer division by zero", e.getMessage());
    }

    @Test
    void float64UsesDoubleArithmetic() {
        Tensor r = run("Add", 14, in(Tensor.ofDoubles(Shape.of(1), 0.1), Tensor.ofDoubles(Shape.of(1), 0.2)));
        assertEquals(0.1 + 0.2, r.doubles()[0], 0.0);
    }

    @Test
    void mismatchedTypesAndShapesAreRejected() {
        assertThrows(KernelException.class, () -> run("Add", 14, in(Tensor.ofFloats(Shape.of(1), 1), Tensor.ofInts(Shape.of(1), 1))));
        assertThrows(KernelException.class, () -> run("Add", 14, in(Tensor.ofFloats(Shape.of(3), 1, 2, 3), Tensor.ofFloats(Shape.of(2), 1, 2))));
        assertThrows(KernelException.class, () -> run("Add", 14, in(Tensor.ofBools(Shape.of(1), true), Tensor.ofBools(Shape.of(1), true))));
    }

    @Test
    void emptyOutputKeepsBroadcastShape() {
        Tensor r = run("Add", 14, in(Tensor.ofFloats(Shape.of(0, 3)), Tensor.ofFloats(Shape.of(3), 1, 2, 3)));
        assertEquals(Shape.of(0, 3), r.shape());
    }

    @Test
    void legacyBroadcastAlignsBAtAxis() {
        Tensor a = Tensor.ofFloats(Shape.of(2, 3, 2), new float[12]);
        Tensor b = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
        Tensor r = run("Add", 6, in(a, b), Attribute.ofInt("broadcast", 1), Attribute.ofInt("axis", 1));
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, r.floats());
    }

    @Test
    void parallelResultEqualsSingleThreadedResult() {
        Tensor a = Tensor.ofFloats(Shape.of(300, 257), iota(300 * 257, 0.25f));
        Tensor b = Tensor.ofFloats(Shape.of(257), iota(257, -1));
        ExecContext two = ExecContext.withThreads(2);
        for (String op : new String[] {"Add", "Sub", "Mul", "Div"}) {
            Tensor single = run(op, 14, in(a, b));
            Tensor multi = run(op, 14, two, in(a, b));
            assertArrayEquals(single.floats(), multi.floats(), op);
        }
        Tensor sum = run("Add", 14, two, in(a, Tensor.ofFloats(Shape.of(300, 257), iota(300 * 257, 1))));
        assertEquals(1000 * 0.25f + 1000, sum.floats()[1000], 0f);
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.ofFloats(Shape.of(2), 1, 2);
        assertSame(x, run("Identity", 25, in(x)));
    }
}
