package org.quantlens.app.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TensorHistogramTest {
    @Test
    void binsSpanMinToMaxWithTheMaximumInTheLastBin() {
        // range [0, 4], 4 bins of width 1: 0 -> bin 0, 1.5 -> bin 1, 3.5 -> bin 3, 4 (the upper edge) -> bin 3
        TensorHistogram h = TensorHistogram.of(new float[] {0f, 1.5f, 3.5f, 4f}, 4);
        assertEquals(0.0, h.firstEdge(), 1e-12);
        assertEquals(1.0, h.binWidth(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 0, 2}, h.counts());
        assertEquals(1.0, h.zeroCount());
        assertEquals(4.0, h.total());
    }

    @Test
    void nonFiniteValuesAreSkipped() {
        TensorHistogram h = TensorHistogram.of(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY, 3f}, 2);
        assertEquals(2.0, h.total());
        assertEquals(1.0, h.min());
        assertEquals(3.0, h.max());
    }

    @Test
    void aConstantTensorGetsATinyRangeAroundItsValue() {
        TensorHistogram h = TensorHistogram.of(new float[] {2f, 2f, 2f}, 10);
        assertEquals(3.0, h.total());
        assertEquals(2.0, h.min());
        assertEquals(2.0, h.max());
        org.junit.jupiter.api.Assertions.assertTrue(h.firstEdge() <= 2 && 2 <= h.edge(10), "the range holds the value");
        org.junit.jupiter.api.Assertions.assertTrue(h.binWidth() > 0);
    }

    @Test
    void anEmptyHistogramIsShownOverAUnitRangeWithNoCounts() {
        TensorHistogram h = TensorHistogram.of(new float[] {Float.NaN}, 8);
        assertEquals(0.0, h.total());
        assertEquals(-0.5, h.firstEdge(), 1e-12);
        assertEquals(0.5, h.edge(8), 1e-12);
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(h.min()));
    }

    @Test
    void theErrorModelSeesTheSameCountsAndZeros() {
        TensorHistogram h = TensorHistogram.of(new float[] {-1f, 0f, 0f, 1f}, 4);
        var model = h.errorModel();
        assertEquals(4.0, model.totalCount());
        assertEquals(2.0, model.zeroCount());
        assertEquals(-1.0, model.firstEdge());
    }
}
