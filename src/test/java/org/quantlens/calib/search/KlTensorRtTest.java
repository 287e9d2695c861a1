package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class KlTensorRtTest {

    /** The GTC 2017 / pytorch-quantization procedure written out element by element, as the specification. */
    private static double naiveKl(long[] bins, int i, int levels) {
        double[] p = new double[i];
        double[] q = new double[i];
        long tail = 0;
        for (int j = i; j < bins.length; j++) {
            tail += bins[j];
        }
        for (int j = 0; j < i; j++) {
            p[j] = bins[j];
        }
        p[i - 1] += tail;
        double[] levelSum = new double[levels];
        int[] levelNonzero = new int[levels];
        for (int j = 0; j < i; j++) {
            int k = (int) Math.floor((double) j * levels / i);
            if (bins[j] != 0) {
                levelSum[k] += bins[j];
                levelNonzero[k]++;
            }
        }
        for (int j = 0; j < i; j++) {
            int k = (int) Math.floor((double) j * levels / i);
            q[j] = bins[j] != 0 ? levelSum[k] / levelNonzero[k] : 0;
        }
        double sp = 0;
        double sq = 0;
        for (int j = 0; j < i; j++) {
            sp += p[j];
            sq += q[j];
        }
        double kl = 0;
        for (int j = 0; j < i; j++) {
            if (p[j] == 0) {
                continue;
            }
            if (q[j] == 0) {
                return Double.POSITIVE_INFINITY;
            }
            kl += p[j] / sp * Math.log((p[j] / sp) / (q[j] / sq));
        }
        return kl;
    }

    private static Histogram reluLike(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian();
            x[i] = (float) (v < 0 ? 0 : v * v * 2);
        }
        x[0] = 40f; // outlier
        Histogram h = Histogram.absolute(2048);
        h.add(x);
        return h;
    }

    @Test
    void prefixSumCurveEqualsTheElementwiseDefinition() {
        Histogram h = reluLike(1, 200_000);
        SearchResult r = KlTensorRt.search(h);
        long[] bins = h.counts();
        assertEquals(2048 - 128 + 1, r.values().length);
        for (int c = 0; c < r.values().length; c += 37) {
            double want = naiveKl(bins, 128 + c, 128);
            double got = r.values()[c];
            if (Double.isInfinite(want)) {
                assertEquals(want, got, "candidate " + c);
            } else {
                assertEquals(want, got, 1e-9 + 1e-9 * Math.abs(want), "candidate " + c);
            }
        }
    }

    @Test
    void clipsTheOutlierAndReturnsAnUnsignedRangeForNonNegativeData() {
        Histogram h = reluLike(2, 200_000);
        SearchResult r = KlTensorRt.search(h);
        assertEquals(0.0, r.range().lo());
        assertTrue(r.range().hi() < 30, "threshold " + r.range().hi() + " should clip the outlier at 40");
        double w = h.hi() / 2048;
        int i = 128 + r.bestIndex();
        assertEquals((i + 0.5) * w, r.range().hi(), 1e-9);
        assertEquals(r.values()[r.bestIndex()], java.util.Arrays.stream(r.values()).min().getAsDouble());
    }

    @Test
    void signedDataGivesASymmetricRange() {
        Random rnd = new Random(3);
        float[] x = new float[50_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Histogram h = Histogram.signed(2048);
        h.add(x);
        Range r = KlTensorRt.search(h).range();
        assertEquals(-r.hi(), r.lo());
        assertTrue(r.hi() > 1 && r.hi() <= Math.max(-h.min(), h.max()) + 1e-6);
    }

    @Test
    void suppressingTheZeroSpikeChangesOnlyBinZero() {
        Histogram h = reluLike(4, 100_000);
        SearchResult plain = KlTensorRt.search(h);
        SearchResult suppressed = KlTensorRt.search(h, new KlTensorRt.Options(128, 128, true, false));
        long[] bins = h.counts();
        bins[0] = bins[1];
        assertEquals(naiveKl(bins, 500, 128), suppressed.values()[500 - 128], 1e-9);
        assertTrue(plain.values()[500 - 128] != suppressed.values()[500 - 128]);
    }

    @Test
    void thresholdAtEdgeUsesEdgeI() {
        Histogram h = reluLike(5, 50_000);
        SearchResult r = KlTensorRt.search(h, new KlTensorRt.Options(128, 128, false, true));
        assertEquals((128 + r.bestIndex()) * h.hi() / 2048, r.range().hi(), 1e-9);
    }

    @Test
    void twoThreadsGiveTheSameCurveAndChoiceAsOne() {
        Histogram h = reluLike(6, 100_000);
        org.quantlens.exec.ExecContext two = org.quantlens.exec.ExecContext.withThreads(2);
        SearchResult one = KlTensorRt.search(h, KlTensorRt.Options.DEFAULT);
        SearchResult par = KlTensorRt.search(h, KlTensorRt.Options.DEFAULT, two);
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.values(), par.values());
        assertEquals(one.bestIndex(), par.bestIndex());
        assertEquals(one.range(), par.range());
    }

    /** |x| histograms in several shapes: ReLU with a zero spike, Gaussian, heavy-tailed, sparse with empty bins. */
    static Histogram shaped(int shape, long seed) {
        Random r = new Random(seed);
        int samples = shape == 3 ? 200 + r.nextInt(2000) : 20_000 + r.nextInt(100_000);
        float[] x = new float[samples];
        for (int k = 0; k < samples; k++) {
            double g = r.nextGaussian();
            x[k] = (float) switch (shape) {
                case 0 -> g < 0 ? 0 : g;
                case 1 -> g;
                case 2 -> 0.1 * Math.tan(Math.PI * (r.nextDouble() - 0.5));
                case 3 -> g * g * g;
                default -> k % 50 == 0 ? 8 * g : g;
            };
        }
        Histogram h = Histogram.absolute(2048);
        h.add(x);
        return h;
    }

    @Test
    void tabulatedLevelTermsGiveTheDirectCurveBitForBit() {
        org.quantlens.exec.ExecContext one = org.quantlens.exec.ExecContext.singleThreaded();
        for (int shape = 0; shape < 5; shape++) {
            for (KlTensorRt.Options o : new KlTensorRt.Options[] {KlTensorRt.Options.DEFAULT,
                    new KlTensorRt.Options(128, 128, true, true), new KlTensorRt.Options(100, 300, false, false),
                    new KlTensorRt.Options(256, 256, false, false)}) {
                Histogram h = shaped(shape, 31 * shape + o.levels());
                SearchResult direct = KlTensorRt.search(h, o, one, false);
                SearchResult table = KlTensorRt.search(h, o, one, true);
                org.junit.jupiter.api.Assertions.assertArrayEquals(direct.values(), table.values(), "shape " + shape);
                assertEquals(direct.bestIndex(), table.bestIndex());
            }
        }
    }

    @Test
    void chosenCandidateMinimisesTheElementwiseDefinitionOnManyShapes() {
        for (int shape = 0; shape < 5; shape++) {
            for (long seed = 0; seed < 3; seed++) {
                Histogram h = shaped(shape, 1000 + 10 * shape + seed);
                SearchResult r = KlTensorRt.search(h);
                long[] bins = h.counts();
                double min = Double.POSITIVE_INFINITY;
                for (int c = 0; c < r.values().length; c++) {
                    double want = naiveKl(bins, 128 + c, 128);
                    double got = r.values()[c];
                    assertEquals(want, got, Double.isInfinite(want) ? 0 : 1e-9 + 1e-9 * Math.abs(want),
                            "shape " + shape + " candidate " + c);
                    min = Math.min(min, want);
                }
                double chosen = naiveKl(bins, 128 + r.bestIndex(), 128);
                assertEquals(min, chosen, 1e-9 * Math.abs(min) + 1e-12, "shape " + shape + " seed " + seed);
            }
        }
    }
}
