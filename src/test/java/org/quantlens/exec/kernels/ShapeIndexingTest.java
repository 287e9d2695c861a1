package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Float16;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ShapeIndexingTest {
    @Test
    void integerStoresRoundHalfToEvenAndSaturate() {
        assertEquals(127, ((byte[]) ShapeIndexing.scalarOf(DType.INT8, 200.0))[0]);
        assertEquals(-128, ((byte[]) ShapeIndexing.scalarOf(DType.INT8, -1e9))[0]);
        assertEquals(2, ((byte[]) ShapeIndexing.scalarOf(DType.INT8, 2.5))[0]);
        assertEquals(-2, ((int[]) ShapeIndexing.scalarOf(DType.INT32, -2.5))[0]);
        assertEquals(0, ((byte[]) ShapeIndexing.scalarOf(DType.UINT8, -3))[0]);
        assertEquals((byte) 255, ((byte[]) ShapeIndexing.scalarOf(DType.UINT8, 300))[0]);
        assertEquals(0, ((long[]) ShapeIndexing.scalarOf(DType.INT64, Double.NaN))[0]);
        assertEquals(true, ((boolean[]) ShapeIndexing.scalarOf(DType.BOOL, 0.5))[0]);
    }

    @Test
    void scalarOfTheSameTypeCopiesTheBitsExactly() {
        short nanWithPayload = (short) 0x7e01;
        Tensor half = Tensor.of(DType.FLOAT16, Shape.scalar(), new short[] {nanWithPayload});
        assertEquals(nanWithPayload, ((short[]) ShapeIndexing.scalarFrom(half, DType.FLOAT16))[0]);
        assertEquals(Float16.fromFloat(1.5f),
                ((short[]) ShapeIndexing.scalarFrom(Tensor.scalar(1.5f), DType.FLOAT16))[0]);
    }

    @Test
    void gatherFillsNegativeOffsetsAndSumsTheOthers() {
        Tensor src = Tensor.ofLongs(Shape.of(2, 3), 0, 1, 2, 10, 11, 12);
        int[][] offsets = {{3, -1}, {2, 0}};
        Tensor out = ShapeIndexing.gather(src, Shape.of(2, 2), offsets, new long[] {-7});
        assertArrayEquals(new long[] {12, 10, -7, -7}, out.longs());
    }
}
