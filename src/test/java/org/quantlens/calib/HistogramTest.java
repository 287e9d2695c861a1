package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {

    private static float[] gaussian(long seed, int n, double sigma) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sigma);
        }
        return x;
    }

    @Test
    void firstBatchSetsTheSignedRangeToItsMinAndMax() {
        Histogram h = Histogram.signed(16);
        h.add(new float[] {-1f, 3f, 0.5f});
        assertEquals(-1f, h.min());
        assertEquals(3f, h.max());
        assertTrue(h.lo() <= -1 && h.lo() > -1 - 1e-9);
        assertTrue(h.hi() >= 3 && h.hi() < 3 + 1e-9);
        assertEquals(1, h.count(0));
        assertEquals(1, h.count(15));
        assertEquals(3, h.total());
    }

    @Test
    void nanAndInfinitiesAreCountedApartAndNeverBinned() {
        Histogram h = Histogram.signed(8);
        h.add(new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY, -2f, Float.NEGATIVE_INFINITY, Float.NaN});
        assertEquals(2, h.nanCount());
        assertEquals(1, h.positiveInfinityCount());
        assertEquals(1, h.negativeInfinityCount());
        assertEquals(2, h.total());
        assertEquals(-2f, h.min());
        assertEquals(1f, h.max());
        assertTrue(Double.isFinite(h.lo()) && Double.isFinite(h.hi()));
    }

    @Test
    void onlyNonFiniteValuesLeaveTheHistogramEmpty() {
        Histogram h = Histogram.absolute(8);
        h.add(new float[] {Float.NaN, Float.POSITIVE_INFINITY});
        assertTrue(h.isEmpty());
        assertTrue(Float.isNaN(h.min()));
        assertEquals(1, h.nanCount());
    }

    @Test
    void growingTheRangeDoublesTheWidthAndKeepsEveryCount() {
        Histogram h = Histogram.signed(8, -1, 1);
        h.add(new float[] {-0.9f, -0.1f, 0.1f, 0.9f});
        h.add(new float[] {3.5f});
        assertEquals(5, h.total());
        assertEquals(-4, h.lo(), 1e-12);
        assertEquals(4, h.hi(), 1e-12);
        // level 2: width 1; -0.9 and -0.1 -> bin of [-1, 0) = 3; 0.1, 0.9 -> [0, 1) = 4; 3.5 -> 7
        assertEquals(2, h.count(3));
        assertEquals(2, h.count(4));
        assertEquals(1, h.count(7));
    }

    @Test
    void absoluteFormBinsMagnitudesFromZero() {
        Histogram h = Histogram.absolute(4, 4.0);
        h.add(new float[] {-3.5f, 0.5f, -0.5f, 2f, 0f});
        assertArrayEquals(new long[] {3, 0, 1, 1}, h.counts());
        assertEquals(-3.5f, h.min());
        assertEquals(1, h.zeroCount());
        h.add(new float[] {7f});
        assertEquals(8.0, h.hi(), 1e-12);
        assertArrayEquals(new long[] {3, 2, 0, 1}, h.counts());
    }

    @Test
    void mergeEqualsOnePassWhenTheRangeIsKnownUpFront() {
        float[] a = gaussian(1, 5000, 1.0);
        float[] b = gaussian(2, 7000, 1.5);
        Histogram single = Histogram.signed(2048, -10, 10);
        single.add(a);
        single.add(b);
        Histogram ha = Histogram.signed(2048, -10, 10);
        Histogram hb = Histogram.signed(2048, -10, 10);
        ha.add(a);
        hb.add(b);
        ha.merge(hb);
        assertEquals(single, ha);
    }

    @Test
    void mergeEqualsOnePassOnASharedLatticeEvenWhenBothGrow() {
        float[] a = gaussian(3, 4000, 1.0);
        float[] b = gaussian(4, 4000, 9.0);
        float[] c = gaussian(5, 4000, 30.0);
        Histogram lattice = Histogram.signed(512, -0.25, 0.25);
        Histogram single = lattice.emptyCopy();
        single.add(a);
        single.add(b);
        single.add(c);
        Histogram h1 = lattice.emptyCopy();
        h1.add(a);
        h1.add(c);
        Histogram h2 = lattice.emptyCopy();
        h2.add(b);
        h1.merge(h2);
        assertEquals(single, h1);
        assertEquals(12000, h1.total());
    }

    @Test
    void mergeAcrossDifferentLatticesKeepsTotalsAndExtremes() {
        Histogram h1 = Histogram.signed(64);
        h1.add(gaussian(6, 1000, 1.0));
        Histogram h2 = Histogram.signed(64);
        h2.add(gaussian(7, 1000, 5.0));
        h2.add(new float[] {Float.NaN});
        float min = Math.min(h1.min(), h2.min());
        float max = Math.max(h1.max(), h2.max());
        h1.merge(h2);
        assertEquals(2000, h1.total());
        assertEquals(min, h1.min());
        assertEquals(max, h1.max());
        assertEquals(1, h1.nanCount());
        assertTrue(h1.lo() <= min && h1.hi() >= max);
    }

    @Test
    void constantDataGetsATinyFiniteRangeAroundTheValue() {
        Histogram h = Histogram.signed(2048);
        h.add(new float[] {2.5f, 2.5f, 2.5f});
        assertTrue(h.lo() <= 2.5 && h.hi() >= 2.5 && h.hi() - h.lo() < 1e-9);
        assertEquals(3, h.total());
        h.add(new float[] {-1f});
        assertEquals(4, h.total());
        assertTrue(h.lo() <= -1);
    }

    @Test
    void allZeroAbsoluteDataStaysInBinZeroWhileTheRangeGrows() {
        Histogram h = Histogram.absolute(16);
        h.add(new float[] {0f, -0f, 0f});
        assertEquals(3, h.count(0));
        h.add(new float[] {1f});
        assertEquals(3, h.count(0));
        assertEquals(1, h.count(15) + h.count(14) + h.count(8) + h.count(7));
        assertTrue(h.hi() >= 1);
    }

    @Test
    void mergingHistogramsOfDifferentShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.signed(8).merge(Histogram.absolute(8)));
        assertThrows(IllegalArgumentException.class, () -> Histogram.signed(8).merge(Histogram.signed(12)));
        assertThrows(IllegalArgumentException.class, () -> Histogram.signed(1));
    }

    @Test
    void explicitEdgesAreReturnedAsGivenUntilDataIsAdded() {
        Histogram h = Histogram.withEdges(Histogram.Form.SIGNED, new long[] {1, 2}, new double[] {-1, 0.1, 1}, -1f, 1f);
        assertEquals(0.1, h.edge(1));
        h.add(new float[] {0.5f});
        assertEquals(4, h.total());
        assertTrue(!h.hasExplicitEdges());
    }

    @Test
    void toAbsoluteFoldsNegativeBinsOntoMagnitudes() {
        Histogram h = Histogram.signed(8, -4, 4);
        h.add(new float[] {-3.5f, 3.5f, 0.5f});
        Histogram a = h.toAbsolute();
        assertEquals(3, a.total());
        assertEquals(2, a.count(7));
        assertEquals(-3.5f, a.min());
    }

    @Test
    void perSampleModeKeepsOneHistogramPerSampleForTheFirstN() {
        PerSampleHistograms ps = new PerSampleHistograms(Histogram.signed(8, -1, 1), 3);
        ps.addBatch(new float[] {-1f, 1f, 0f, 0.5f}, 2);
        ps.addBatch(new float[] {0.2f, 0.3f, 0.4f, 0.9f}, 2);
        assertEquals(3, ps.samples().size());
        assertEquals(2, ps.samples().get(2).total());
        assertEquals(0.2f, ps.samples().get(2).min());
        assertTrue(!ps.accepts());
    }

    @Test
    void hugeValuesAfterATinyConstantStartGrowWithoutOverflow() {
        Histogram h = Histogram.absolute(2048);
        h.add(new float[] {0f});
        h.add(new float[] {Float.MAX_VALUE, 1e-30f});
        assertEquals(3, h.total());
        assertTrue(h.hi() >= Float.MAX_VALUE && Double.isFinite(h.hi()));
        assertEquals(1, h.count(2047) + h.count(2046) + h.count(1024) + h.count(1023));
        Histogram s = Histogram.signed(6);
        s.add(new float[] {0f});
        s.add(new float[] {-Float.MAX_VALUE, Float.MAX_VALUE});
        assertEquals(3, s.total());
        assertTrue(s.lo() <= -Float.MAX_VALUE && s.hi() >= Float.MAX_VALUE);
    }
}
