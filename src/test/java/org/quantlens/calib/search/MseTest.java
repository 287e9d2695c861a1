package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class MseTest {

    private static float[] gaussianWithOutlier(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        x[0] = 8f; // far enough that clipping it costs less than the coarser grid it forces
        return x;
    }

    @Test
    void theSearchDropsAFarOutlierAndStaysInsideTheObservedRange() {
        TorchHistogramObserver obs = new TorchHistogramObserver();
        float[] x = gaussianWithOutlier(1, 400_000);
        for (int b = 0; b < 10; b++) {
            obs.observe(java.util.Arrays.copyOfRange(x, b * 40_000, (b + 1) * 40_000));
        }
        SearchResult r = obs.search(8);
        assertTrue(r.range().hi() < 7.5, r.range().toString());
        assertTrue(r.range().lo() >= obs.minVal() && r.range().hi() <= obs.maxVal());
        assertTrue(r.values().length > 0);
        for (int i = 1; i <= r.bestIndex(); i++) {
            assertTrue(r.values()[i] <= r.values()[i - 1], "errors fall until the chosen candidate");
        }
    }

    @Test
    void histcPutsTheMaximumInTheLastBinAndIgnoresOutsideValues() {
        float[] h = TorchHistogramObserver.histc(new float[] {0f, 1f, 2f, 4f, 5f}, 4, 0, 4);
        assertArrayEquals(new float[] {1, 1, 1, 1}, h);
        float[] same = TorchHistogramObserver.histc(new float[] {3f}, 2, 3, 3);
        assertArrayEquals(new float[] {0, 1}, same); // range widened to [2, 4]
    }

    @Test
    void observingKeepsTheTotalCountWhenTheRangeGrows() {
        TorchHistogramObserver obs = new TorchHistogramObserver(64, 16);
        obs.observe(new float[] {0f, 1f, 0.5f});
        obs.observe(new float[] {-3f, 8f});
        obs.observe(new float[] {Float.POSITIVE_INFINITY, 2f});
        double total = 0;
        for (float v : obs.histogram()) {
            total += v;
        }
        assertEquals(6.0, total, 1e-4);
        assertEquals(-3f, obs.minVal());
        assertEquals(8f, obs.maxVal());
        assertEquals(1, obs.warnings().size());
    }

    @Test
    void quantizationErrorOfAnExactlyRepresentableUniformHistogramIsTheUniformNoise() {
        // 256 source bins = 256 destination bins over the full range: each source bin of width w and count c
        // has error c * w^2 / 12 about its centre
        float[] hist = new float[256];
        java.util.Arrays.fill(hist, 3f);
        double err = Mse.quantizationError(hist, 0f, 256f, 0, 255, 256);
        assertEquals(256 * 3.0 / 12.0, err, 1e-3);
    }

    @Test
    void ourHistogramsCanBeSearchedToo() {
        Histogram h = Histogram.signed(2048);
        h.add(gaussianWithOutlier(2, 400_000));
        Range r = Mse.search(h, 8).range();
        assertTrue(r.hi() < 7.5 && r.lo() < -1, r.toString());
    }
}
