package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.Kernels.in;
import static org.quantlens.exec.kernels.Kernels.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Float16;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ElementwiseCastTest {

    private static Tensor cast(Tensor x, DType to) {
        return run("Cast", 21, in(x), Attribute.ofInt("to", to.onnxCode()));
    }

    @Test
    void floatToIntTruncatesTowardZero() {
        Tensor r = cast(Tensor.ofFloats(Shape.of(5), 1.9f, -1.9f, 2.5f, -0.5f, 7f), DType.INT32);
        assertArrayEquals(new int[] {1, -1, 2, 0, 7}, r.ints());
    }

    @Test
    void floatOutOfRangeFollowsX86Conversion() {
        assertEquals(44, cast(Tensor.ofFloats(Shape.of(1), 300f), DType.INT8).bytes()[0]);
        assertEquals(255, cast(Tensor.ofFloats(Shape.of(1), -1f), DType.UINT8).bytes()[0] & 0xff);
        assertEquals(0, cast(Tensor.ofFloats(Shape.of(1), Float.NaN), DType.INT8).bytes()[0]);
        assertEquals(Integer.MIN_VALUE, cast(Tensor.ofFloats(Shape.of(1), Float.NaN), DType.INT32).ints()[0]);
        assertEquals(Integer.MIN_VALUE, cast(Tensor.ofFloats(Shape.of(1), 3e9f), DType.INT32).ints()[0]);
        assertEquals(Long.MIN_VALUE, cast(Tensor.ofDoubles(Shape.of(1), Double.POSITIVE_INFINITY), DType.INT64).longs()[0]);
        assertEquals(3_000_000_000L, cast(Tensor.ofFloats(Shape.of(1), 3e9f), DType.INT64).longs()[0]);
    }

    @Test
    void integerNarrowingKeepsLowBits() {
        // the ONNX spec's own example: 200 (int16) -> -56 (int8)
        Tensor r = cast(Tensor.of(DType.INT16, Shape.of(1), new short[] {200}), DType.INT8);
        assertEquals(-56, r.bytes()[0]);
        assertEquals(-1, cast(Tensor.ofUint8(Shape.of(1), (byte) 255), DType.INT8).bytes()[0]);
        assertEquals(255, cast(Tensor.ofInt8(Shape.of(1), (byte) -1), DType.UINT8).bytes()[0] & 0xff);
        assertEquals(200L, cast(Tensor.ofUint8(Shape.of(1), (byte) 200), DType.INT64).longs()[0]);
    }

    @Test
    void toHalfRoundsTiesToEven() {
        // 2049 lies halfway between the halves 2048 (even mantissa) and 2050
        Tensor r = cast(Tensor.ofInts(Shape.of(2), 2049, 2051), DType.FLOAT16);
        assertEquals(2048f, Float16.toFloat(r.shorts()[0]));
        assertEquals(2052f, Float16.toFloat(r.shorts()[1]));
    }

    @Test
    void doubleToHalfRoundsOnceNotTwice() {
        // 1 + 2^-11 + 2^-40 is just above the tie between 1 and 1 + 2^-10; through a plain float it would become
        // the tie 1 + 2^-11 and then round to 1.
        Tensor r = cast(Tensor.ofDoubles(Shape.of(1), 1 + 0x1p-11 + 0x1p-40), DType.FLOAT16);
        assertEquals(1 + 0x1p-10f, Float16.toFloat(r.shorts()[0]));
    }

    @Test
    void toBfloat16RoundsTiesToEven() {
        Tensor r = cast(Tensor.ofFloats(Shape.of(2), 1 + 0x1p-8f, 1 + 3 * 0x1p-8f), DType.BFLOAT16);
        assertEquals((short) 0x3F80, r.shorts()[0]); // 1.0
        assertEquals((short) 0x3F82, r.shorts()[1]); // 1 + 2^-6
    }

    @Test
    void floatNarrowingRoundsAndOverflowsToInfinity() {
        Tensor r = cast(Tensor.ofDoubles(Shape.of(2), 1e39, 0.1), DType.FLOAT32);
        assertEquals(Float.POSITIVE_INFINITY, r.floats()[0]);
        assertEquals(0.1f, r.floats()[1]);
        assertEquals(16777216f, cast(Tensor.ofLongs(Shape.of(1), 16777217L), DType.FLOAT32).floats()[0]);
    }

    @Test
    void boolConversions() {
        Tensor b = cast(Tensor.ofFloats(Shape.of(4), 0f, -0f, Float.NaN, 2f), DType.BOOL);
        assertArrayEquals(new boolean[] {false, false, true, true}, b.bools());
        assertArrayEquals(new float[] {1, 0}, cast(Tensor.ofBools(Shape.of(2), true, false), DType.FLOAT32).floats());
        assertArrayEquals(new boolean[] {true, false}, cast(Tensor.ofInts(Shape.of(2), -3, 0), DType.BOOL).bools());
    }

    @Test
    void castToOwnTypeReturnsInput() {
        Tensor x = Tensor.ofFloats(Shape.of(1), 1);
        assertSame(x, cast(x, DType.FLOAT32));
    }

    @Test
    void badTargetTypeIsRejectedAtCreation() {
        assertThrows(KernelException.class, () -> run("Cast", 21, in(Tensor.scalar(1)), Attribute.ofInt("to", 8)));
        assertThrows(KernelException.class, () -> run("Cast", 21, in(Tensor.scalar(1))));
    }
}
