package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class KlNcnnTest {

    @Test
    void candidatesRunFrom128ToBinsMinusOneAndTheThresholdIsHalfABinPastTheCut() {
        Random r = new Random(9);
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(r.nextGaussian());
        }
        x[1] = 30f;
        Histogram h = Histogram.absolute(2048);
        h.add(x);
        SearchResult s = KlNcnn.search(h);
        assertEquals(2048 - 128, s.values().length);
        double w = h.hi() / 2048;
        assertEquals((128 + s.bestIndex() + 0.5) * w, s.range().hi(), 1e-9);
        assertEquals(0.0, s.range().lo());
        assertTrue(s.range().hi() < 15, "clips the outlier: " + s.range());
    }

    @Test
    void exactZerosAreLeftOutLikeNcnnDoes() {
        Random r = new Random(10);
        float[] x = new float[60_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0 ? 0f : (float) Math.abs(r.nextGaussian());
        }
        Histogram withZeros = Histogram.absolute(2048, 6.0);
        withZeros.add(x);
        Histogram without = Histogram.absolute(2048, 6.0);
        for (float v : x) {
            if (v != 0f) {
                without.add(new float[] {v});
            }
        }
        assertEquals(KlNcnn.search(without).range(), KlNcnn.search(withZeros).range());
    }

    @Test
    void prefixSumEvaluationMatchesNcnnsElementwiseLoops() {
        Random r = new Random(12);
        float[] x = new float[80_000];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (i % 50 == 0 ? 5 * g : g);
        }
        Histogram h = Histogram.absolute(2048);
        h.add(x);
        SearchResult fast = KlNcnn.search(h, true);
        SearchResult loops = KlNcnn.search(h, false);
        for (int c = 0; c < fast.values().length; c += 13) {
            assertEquals(loops.values()[c], fast.values()[c], 2e-4 * Math.abs(loops.values()[c]) + 1e-6, "candidate " + c);
        }
        assertEquals(loops.range().hi(), fast.range().hi(), 0.01 * loops.range().hi());
    }

    @Test
    void prefixFallbackMatchesNcnnsElementwiseLoops() {
        Histogram h = spikyGaussian(15);
        SearchResult prefix =
                KlNcnn.search(h, KlNcnn.Evaluation.PREFIX, org.quantlens.exec.ExecContext.singleThreaded());
        SearchResult loops = KlNcnn.search(h, false);
        for (int c = 0; c < prefix.values().length; c++) {
            double want = loops.values()[c];
            assertEquals(want, prefix.values()[c], 5e-5 * Math.max(1, Math.abs(want)), "candidate " + c);
        }
        assertEquals(loops.bestIndex(), prefix.bestIndex());
    }

    @Test
    void fastSearchChoosesTheSameCandidateAsTheLoops() {
        for (long seed = 12; seed < 20; seed++) {
            Histogram h = spikyGaussian(seed);
            SearchResult fast = KlNcnn.search(h, true);
            SearchResult loops = KlNcnn.search(h, false);
            assertEquals(loops.bestIndex(), fast.bestIndex(), "seed " + seed);
            assertEquals(loops.range(), fast.range(), "seed " + seed);
        }
    }

    private static Histogram spikyGaussian(long seed) {
        Random r = new Random(seed);
        float[] x = new float[80_000];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (i % 50 == 0 ? 5 * g : g);
        }
        Histogram h = Histogram.absolute(2048);
        h.add(x);
        return h;
    }

    @Test
    void twoThreadsGiveTheSameCurveAndChoiceAsOne() {
        Histogram h = spikyGaussian(14);
        org.quantlens.exec.ExecContext two = org.quantlens.exec.ExecContext.withThreads(2);
        SearchResult one = KlNcnn.search(h);
        SearchResult par = KlNcnn.search(h, two);
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.values(), par.values());
        assertEquals(one.bestIndex(), par.bestIndex());
        assertEquals(one.range(), par.range());
    }
}
