package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

class HistogramBinningTest {
    private static final int BINS = 2048;
    private static final ExecContext TWO = ExecContext.withThreads(2);

    /** The bin rule as Histogram.binOf states it: clamp(floor((x - c) / w) + h, 0, bins - 1), one division. */
    private static int referenceBin(float v, double origin, double width, boolean absolute, int bins) {
        double x = absolute ? Math.abs((double) v) : v;
        long idx = (long) Math.floor((x - origin) / width) + (absolute ? 0 : bins / 2);
        return (int) Math.max(0, Math.min(bins - 1, idx));
    }

    /**
     * Each edge-case value alone lands in the reference bin, and the whole array (edge cases plus random values),
     * binned in one call and split over two threads, gives the reference counts and zero count.
     */
    private static void assertSameBins(float[] values, int edgeCases, double origin, double width, boolean absolute) {
        long[] counts = new long[BINS];
        for (int i = 0; i < edgeCases; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                continue;
            }
            int expected = referenceBin(v, origin, width, absolute, BINS);
            long before = counts[expected];
            HistogramBinning.bin(values, i, i + 1, origin, width, absolute, counts);
            if (counts[expected] != before + 1) {
                throw new AssertionError("value " + v + " (bits " + Float.floatToRawIntBits(v) + ") left bin "
                        + expected + " on lattice c=" + origin + " w=" + width + " abs=" + absolute);
            }
        }
        long[] reference = new long[BINS];
        long refZeros = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                reference[referenceBin(v, origin, width, absolute, BINS)]++;
                refZeros += v == 0 ? 1 : 0;
            }
        }
        long[] single = new long[BINS];
        assertEquals(refZeros, HistogramBinning.bin(values, 0, values.length, origin, width, absolute, single));
        assertArrayEquals(reference, single);
        long[] split = new long[BINS];
        assertEquals(refZeros, HistogramBinning.bin(values, 0, values.length, origin, width, absolute, split, TWO));
        assertArrayEquals(reference, split);
    }

    private static final int EDGE_CASES = 6 * (BINS + 1) + 4;

    /** Values on, just below and just above every edge (as floats), plus random ones around the range. */
    private static float[] edgeAndRandomValues(double origin, double width, boolean absolute, int random, long seed) {
        double lo = absolute ? 0 : origin - (BINS / 2) * width;
        float[] v = new float[EDGE_CASES + random];
        int n = 0;
        for (int i = 0; i <= BINS; i++) {
            double e = lo + i * width;
            float f = (float) e;
            v[n++] = f;
            v[n++] = Math.nextUp(f);
            v[n++] = Math.nextDown(f);
            v[n++] = (float) (e + width / 2);
            v[n++] = absolute ? -f : (float) (e - width * 1e-9);
            v[n++] = (float) Math.nextUp(e);
        }
        v[n++] = 0f;
        v[n++] = -0f;
        v[n++] = Float.NaN;
        v[n++] = Float.POSITIVE_INFINITY;
        SplittableRandom r = new SplittableRandom(seed);
        double span = BINS * width;
        while (n < v.length) {
            v[n++] = (float) (lo + (r.nextDouble() * 1.02 - 0.01) * span) * (absolute && r.nextBoolean() ? -1 : 1);
        }
        return v;
    }

    @Test
    void binningMatchesTheReferenceFormulaOnTenMillionRandomAndEdgeValues() {
        double width = Math.nextUp(12.0 / BINS);
        float[] v = edgeAndRandomValues(-6 + (BINS / 2) * width, width, false, 10_000_000, 1);
        assertSameBins(v, EDGE_CASES, -6 + (BINS / 2) * width, width, false);
    }

    @Test
    void binningMatchesTheReferenceFormulaOnAwkwardWidthsAndOrigins() {
        double[][] lattices = {
            {0.0, 0.1}, {1.0 / 3, 1.0 / 3000}, {-123.456, Math.nextUp(7.0 / BINS)}, {1e-3, 1e-9},
            {5.0, Math.ulp(5.0)}, {0.0, Math.scalb(1.0, -10)}, {3e30, 1e27}, {-1e-30, 1e-36},
        };
        long seed = 2;
        for (double[] l : lattices) {
            assertSameBins(edgeAndRandomValues(l[0], l[1], false, 400_000, seed++), EDGE_CASES, l[0], l[1], false);
            assertSameBins(edgeAndRandomValues(0, l[1], true, 400_000, seed++), EDGE_CASES, 0, l[1], true);
        }
    }

    @Test
    void addSplitOverThreadsEqualsAddOnOneThread() {
        float[] v = edgeAndRandomValues(0.25, 1e-3, false, 1_500_000, 99);
        for (int i = 0; i < v.length; i += 997) {
            v[i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? -0f : Float.NEGATIVE_INFINITY;
        }
        for (Histogram.Form form : Histogram.Form.values()) {
            Histogram one = form == Histogram.Form.SIGNED ? Histogram.signed() : Histogram.absolute();
            Histogram two = one.emptyCopy();
            one.add(v, 3, v.length - 3);
            two.add(v, 3, v.length - 3, TWO);
            assertEquals(one, two);
            assertEquals(one.zeroCount(), two.zeroCount());
            assertEquals(one.nanCount(), two.nanCount());
        }
    }

    @Test
    void scanSplitOverThreadsEqualsScanOnOneThread() {
        float[] v = edgeAndRandomValues(0, 1e-2, false, 1_000_000, 5);
        v[123_456] = -0f;
        v[900_000] = Float.NaN;
        assertEquals(HistogramBinning.scan(v, 1, v.length), HistogramBinning.scan(v, 1, v.length, TWO));
    }

    @Test
    void scanMatchesMathMinMaxFoldIncludingSignedZerosAndSpecials() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] v = new float[trial % 2 == 0 ? r.nextInt(0, 300) : r.nextInt(4096, 20_000)];
            for (int i = 0; i < v.length; i++) {
                int kind = r.nextInt(trial % 4 < 2 ? 10 : 2000);
                v[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.POSITIVE_INFINITY : kind == 2
                        ? Float.NEGATIVE_INFINITY : kind == 3 ? 0f : kind == 4 ? -0f : (float) r.nextGaussian();
            }
            int from = v.length == 0 ? 0 : r.nextInt(v.length);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            float absMin = Float.POSITIVE_INFINITY;
            long nan = 0;
            long pos = 0;
            long neg = 0;
            for (int i = from; i < v.length; i++) {
                if (Float.isNaN(v[i])) {
                    nan++;
                } else if (v[i] == Float.POSITIVE_INFINITY) {
                    pos++;
                } else if (v[i] == Float.NEGATIVE_INFINITY) {
                    neg++;
                } else {
                    min = Math.min(min, v[i]);
                    max = Math.max(max, v[i]);
                    absMin = Math.min(absMin, Math.abs(v[i]));
                }
            }
            HistogramBinning.Scan expected = new HistogramBinning.Scan(min, max, absMin, nan, pos, neg);
            assertSameScan(expected, HistogramBinning.scan(v, from, v.length));
            assertSameScan(expected, HistogramBinning.scanScalar(v, from, v.length));
            assertSameScan(expected, HistogramBinning.scanVectors(v, from, v.length));
        }
    }

    /** Bit for bit: a fold of Math.min/max tells -0.0 from +0.0. */
    private static void assertSameScan(HistogramBinning.Scan expected, HistogramBinning.Scan actual) {
        assertEquals(Float.floatToRawIntBits(expected.min()), Float.floatToRawIntBits(actual.min()), "min");
        assertEquals(Float.floatToRawIntBits(expected.max()), Float.floatToRawIntBits(actual.max()), "max");
        assertEquals(Float.floatToRawIntBits(expected.absMin()), Float.floatToRawIntBits(actual.absMin()), "absMin");
        assertEquals(expected.nan(), actual.nan(), "NaN");
        assertEquals(expected.posInf(), actual.posInf(), "+Inf");
        assertEquals(expected.negInf(), actual.negInf(), "-Inf");
    }

    @Test
    void scanOfAnEmptyOrAllSpecialRangeFindsNoFiniteValue() {
        float[] v = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -Float.NaN};
        for (HistogramBinning.Scan s : new HistogramBinning.Scan[] {HistogramBinning.scanScalar(v, 0, v.length),
                HistogramBinning.scanVectors(v, 0, v.length), HistogramBinning.scanScalar(v, 2, 2),
                HistogramBinning.scanVectors(new float[64], 10, 10)}) {
            assertTrue(s.min() > s.max(), s.toString());
            assertEquals(Float.POSITIVE_INFINITY, s.absMin(), s.toString());
        }
        HistogramBinning.Scan all = HistogramBinning.scanScalar(v, 0, v.length);
        assertEquals(2, all.nan());
        assertEquals(1, all.posInf());
        assertEquals(1, all.negInf());
    }

    @Test
    void scanOfOnlyZerosKeepsTheSignOfZeroAsMathMinMax() {
        float[] v = new float[100];
        v[37] = -0f;
        HistogramBinning.Scan s = HistogramBinning.scan(v, 0, v.length);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(s.min()));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(s.max()));
    }
}
