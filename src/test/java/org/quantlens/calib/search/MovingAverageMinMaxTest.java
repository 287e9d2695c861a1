package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class MovingAverageMinMaxTest {

    @Test
    void threeBatchesFollowTheHandComputedAverages() {
        MovingAverageMinMax ema = new MovingAverageMinMax(0.01);
        ema.update(new float[] {-2f, 1f, 4f});
        assertEquals(-2f, ema.min());
        assertEquals(4f, ema.max());
        ema.update(new float[] {-12f, 14f});
        // min = -2 + 0.01 * (-12 + 2) = -2.1 ; max = 4 + 0.01 * (14 - 4) = 4.1
        assertEquals(-2.1, ema.min(), 1e-6);
        assertEquals(4.1, ema.max(), 1e-6);
        ema.update(new float[] {7.9f, 8f, Float.NaN});
        // min = -2.1 + 0.01 * (7.9 + 2.1) = -2.0 ; max = 4.1 + 0.01 * (8 - 4.1) = 4.139
        assertEquals(-2.0, ema.min(), 1e-6);
        assertEquals(4.139, ema.max(), 1e-6);
        Range r = ema.result(false).range();
        assertEquals(-2.0, r.lo(), 1e-6);
        assertEquals(4.139, r.hi(), 1e-6);
        assertEquals(4.139, ema.result(true).range().hi(), 1e-6);
        assertEquals(-4.139, ema.result(true).range().lo(), 1e-6);
    }

    @Test
    void theResultDependsOnTheBatchSize() {
        MovingAverageMinMax oneBatch = new MovingAverageMinMax();
        oneBatch.update(new float[] {-2f, 4f, -12f, 14f});
        assertEquals(-12f, oneBatch.min());
        assertEquals(14f, oneBatch.max());
    }

    @Test
    void noBatchGivesAZeroRangeWithAWarning() {
        SearchResult r = new MovingAverageMinMax().result(false);
        assertEquals(0.0, r.range().width());
        assertFalse(r.warnings().isEmpty());
    }
}
