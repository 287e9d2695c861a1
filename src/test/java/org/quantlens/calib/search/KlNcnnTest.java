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

    @Test
    void rangeOnlySearchChoosesTheSameCandidateAndSkipsOnlyCandidatesThatLose() {
        java.util.Random r = new java.util.Random(31);
        int skippedInAll = 0;
        for (int trial = 0; trial < 36; trial++) {
            Histogram h = trial % 7 == 6 ? spikyGaussian(trial) : KlNcnnLevelsTest.randomShape(r, trial % 6);
            for (int threads = 1; threads <= 2; threads++) {
                org.quantlens.exec.ExecContext ctx = org.quantlens.exec.ExecContext.withThreads(threads);
                SearchResult full = KlNcnn.search(h, ctx, true);
                SearchResult pruned = KlNcnn.search(h, ctx, false);
                String what = "trial " + trial + ", " + threads + " thread(s)";
                assertEquals(full.bestIndex(), pruned.bestIndex(), what);
                assertEquals(full.range(), pruned.range(), what);
                double min = full.values()[full.bestIndex()];
                for (int c = 0; c < full.values().length; c++) {
                    double v = pruned.values()[c];
                    if (Double.isNaN(v)) {
                        skippedInAll++;
                        org.junit.jupiter.api.Assertions.assertTrue(full.values()[c] > min,
                                what + ": skipped candidate " + c + " could have been chosen");
                    } else {
                        assertEquals(full.values()[c], v, what + " candidate " + c);
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(skippedInAll > 0, "the bound never skipped a candidate");
    }

    @Test
    void rangeOnlySearchSkipsTheLowCandidatesOfAClippedTail() {
        Histogram h = spikyGaussian(3);
        SearchResult pruned = KlNcnn.search(h, org.quantlens.exec.ExecContext.singleThreaded(), false);
        // The 2% outliers put several percent of the mass past the bulk: folding it into the last bin costs more
        // than the minimum, so the first candidates are skipped, and the chosen one is evaluated.
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(pruned.values()[0]), "candidate t = 128 evaluated");
        org.junit.jupiter.api.Assertions.assertFalse(Double.isNaN(pruned.values()[pruned.bestIndex()]));
    }

    @Test
    void candidatesWhoseRunningTailDriftsBelowZeroAreNanAsInTheLoops() {
        // A dense bulk and a sparse far tail: ncnn's float32 running tail loses the floored empty bins' 1e-5 masses
        // to rounding and goes negative for the high candidates.
        long[] counts = new long[2048];
        for (int j = 0; j < 300; j++) {
            counts[j] = 1_000_000 - 3000L * j;
        }
        for (int j = 300; j < 2048; j += 97) {
            counts[j] = 1;
        }
        double[] edges = new double[2049];
        for (int j = 0; j < edges.length; j++) {
            edges[j] = j * 0.01;
        }
        Histogram h = Histogram.withEdges(Histogram.Form.ABSOLUTE, counts, edges, 0f, (float) edges[2048]);
        SearchResult loops = KlNcnn.search(h, KlNcnn.Evaluation.ELEMENTWISE, org.quantlens.exec.ExecContext.singleThreaded());
        SearchResult levels = KlNcnn.search(h, KlNcnn.Evaluation.LEVELS, org.quantlens.exec.ExecContext.singleThreaded());
        SearchResult prefix = KlNcnn.search(h, KlNcnn.Evaluation.PREFIX, org.quantlens.exec.ExecContext.singleThreaded());
        SearchResult pruned = KlNcnn.search(h, org.quantlens.exec.ExecContext.singleThreaded(), false);
        int nan = 0;
        for (int c = 0; c < loops.values().length; c++) {
            boolean isNan = Double.isNaN(loops.values()[c]);
            nan += isNan ? 1 : 0;
            assertEquals(isNan, Double.isNaN(levels.values()[c]), "levels, candidate " + c);
            assertEquals(isNan, Double.isNaN(prefix.values()[c]), "prefix, candidate " + c);
            if (isNan) {
                org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(pruned.values()[c]), "pruned, candidate " + c);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(nan > 0, "the running tail never went negative");
        assertEquals(loops.bestIndex(), levels.bestIndex());
        assertEquals(loops.bestIndex(), pruned.bestIndex());
        assertEquals(loops.range(), pruned.range());
    }
}
