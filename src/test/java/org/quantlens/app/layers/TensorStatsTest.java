package org.quantlens.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.app.histogram.TensorHistogram;

class TensorStatsTest {
    @Test
    void anAllZeroTensorIsFlagged() {
        TensorStats s = TensorStats.of(TensorHistogram.of(new float[] {0, 0, 0}, 8), List.of());
        assertEquals(List.of("all zero"), s.warnings());
    }

    @Test
    void aConstantNonZeroTensorHasADegenerateRange() {
        TensorStats s = TensorStats.of(TensorHistogram.of(new float[] {3, 3}, 8), List.of());
        assertEquals(List.of("degenerate range"), s.warnings());
    }

    @Test
    void oneFarValueAmongManyIsAHeavyOutlier() {
        float[] v = new float[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 100) / 100f;   // uniform on [0, 1)
        }
        v[0] = 1000f;                 // 1 in 10 000 values: inside the 0.05% cut, 1000x wider than the rest
        TensorStats s = TensorStats.of(TensorHistogram.of(v, 2048), List.of());
        assertEquals(List.of("heavy outliers"), s.warnings());
    }

    @Test
    void aUniformTensorHasNoWarningsAndKeepsExtraOnes() {
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        TensorStats s = TensorStats.of(TensorHistogram.of(v, 64), List.of("1 all-zero channel"));
        assertEquals(List.of("1 all-zero channel"), s.warnings());
        assertEquals(0.0, s.min());
        assertEquals(999.0, s.max());
        assertTrue(s.rangeText().contains("999"));
    }
}
