package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.search.KlNcnn.Evaluation;
import org.quantlens.exec.ExecContext;

class KlNcnnLevelsTest {
    /**
     * Agreement with ncnn's float32 element-wise loops: |fast - reference| <= TOL * max(|reference|, 1). The gap is
     * the reference's own float32 rounding (it sums up to B float terms; observed up to 1e-5 on sparse shapes).
     */
    private static final double TOL = 5e-5;
    /** Agreement with the same element-wise definition evaluated in double: the algebra itself. */
    private static final double EXACT_TOL = 1e-11;

    @Test
    void levelCurveMatchesTheElementwiseReferenceOnManyShapes() {
        Random r = new Random(2024);
        for (int trial = 0; trial < 60; trial++) {
            Histogram h = randomShape(r, trial % 6);
            SearchResult reference = KlNcnn.search(h, Evaluation.ELEMENTWISE, ExecContext.singleThreaded());
            SearchResult fast = KlNcnn.search(h, Evaluation.LEVELS, ExecContext.singleThreaded());
            assertCurvesAgree(reference, fast, "trial " + trial + " shape " + trial % 6 + " bins " + h.bins());
        }
    }

    @Test
    void vectorAndScalarAlgebraEqualTheElementwiseDefinitionInDouble() {
        Random r = new Random(77);
        for (int trial = 0; trial < 12; trial++) {
            float[] dist = flooredDistribution(randomShape(r, trial % 6));
            KlNcnnLevels levels = new KlNcnnLevels(dist);
            float tail = 0;
            for (int t = dist.length - 1; t >= 128; t--) {
                tail += dist[t];
                double want = elementwiseInDouble(dist, t, tail);
                String what = "trial " + trial + " t " + t;
                assertEquals(want, levels.divergence(t, tail), EXACT_TOL * Math.max(1, Math.abs(want)), what);
                assertEquals(want, levels.divergenceScalar(t, tail), EXACT_TOL * Math.max(1, Math.abs(want)), what);
            }
        }
    }

    @Test
    void lowerBoundNeverExceedsTheDivergence() {
        Random r = new Random(91);
        for (int trial = 0; trial < 30; trial++) {
            float[] dist = flooredDistribution(randomShape(r, trial % 6));
            KlNcnnLevels levels = new KlNcnnLevels(dist);
            float tail = 0;
            int above = 0;
            for (int t = dist.length - 1; t >= 128; t--) {
                tail += dist[t];
                double bound = levels.lowerBound(t, tail);
                double kl = levels.divergence(t, tail);
                assertTrue(bound <= kl + 1e-13 * Math.max(1, kl), "trial " + trial + " t " + t + ": bound " + bound
                        + " above the divergence " + kl);
                above += bound > 0 ? 1 : 0;
            }
            assertTrue(above > 0, "trial " + trial + ": the bound is never positive");
        }
    }

    /**
     * ncnn's loops (float32 boundaries start = i * (t / 128f), end = start + t / 128f; ceil/floor; partial bins
     * scaled by their overlap; Q spread over non-empty bins) with every sum, Q and log in double.
     */
    private static double elementwiseInDouble(float[] dist, int t, float tail) {
        double[] expand = new double[t];
        float perLevel = (float) t / 128f;
        for (int i = 0; i < 128; i++) {
            float start = i * perLevel;
            float end = start + perLevel;
            int leftUpper = (int) Math.ceil(start);
            int rightLower = (int) Math.floor(end);
            double leftScale = leftUpper > start ? leftUpper - start : 0;
            double rightScale = rightLower < end ? end - rightLower : 0;
            double q = (leftScale > 0 ? leftScale * dist[leftUpper - 1] : 0)
                    + (rightScale > 0 ? rightScale * dist[rightLower] : 0);
            double count = leftScale + rightScale;
            for (int j = leftUpper; j < rightLower; j++) {
                q += dist[j];
                count += 1;
            }
            double value = q / count;
            if (leftScale > 0) {
                expand[leftUpper - 1] += value * leftScale;
            }
            if (rightScale > 0 && rightLower < t) {
                expand[rightLower] += value * rightScale;
            }
            for (int j = leftUpper; j < rightLower; j++) {
                expand[j] += value;
            }
        }
        double kl = 0;
        for (int j = 0; j < t; j++) {
            double p = j == t - 1 ? dist[j] + tail : dist[j]; // P in float32 like ncnn's
            kl += p != 0 ? p * Math.log(p / expand[j]) : 0;
        }
        return kl;
    }

    @Test
    void hundredTwentyNineBinsHaveOneCandidateWithEveryBoundaryInsideABin() {
        long[] counts = new long[129];
        for (int j = 0; j < counts.length; j++) {
            counts[j] = 1000 - 7L * j;
        }
        Histogram h = withCounts(counts);
        SearchResult reference = KlNcnn.search(h, Evaluation.ELEMENTWISE, ExecContext.singleThreaded());
        SearchResult fast = KlNcnn.search(h, Evaluation.LEVELS, ExecContext.singleThreaded());
        assertEquals(1, fast.values().length);
        assertCurvesAgree(reference, fast, "129 bins");
    }

    @Test
    void appliesOnlyWithExactBoundariesAndNoEmptyBin() {
        assertFalse(KlNcnnLevels.applies(new float[2048]), "empty bins");
        float[] many = new float[KlNcnnLevels.MAX_EXACT_CANDIDATE + 2];
        java.util.Arrays.fill(many, 1f / many.length);
        assertFalse(KlNcnnLevels.applies(many), "too many bins");
        assertTrue(KlNcnnLevels.applies(java.util.Arrays.copyOf(many, many.length - 1)), "t = 2^17 is still exact");
        float[] ones = new float[300];
        java.util.Arrays.fill(ones, 1f / 300);
        assertTrue(KlNcnnLevels.applies(ones));
        assertEquals(131072, KlNcnnLevels.MAX_EXACT_CANDIDATE, "128 * t <= 2^24");
    }

    private static void assertCurvesAgree(SearchResult reference, SearchResult fast, String what) {
        double[] ref = reference.values();
        double[] got = fast.values();
        assertEquals(ref.length, got.length, what);
        for (int c = 0; c < ref.length; c++) {
            if (Double.isNaN(ref[c])) { // ncnn's running float tail can end slightly negative: log of a negative P
                assertTrue(Double.isNaN(got[c]), what + " candidate " + c + " is NaN in the reference");
                continue;
            }
            assertEquals(ref[c], got[c], TOL * Math.max(1, Math.abs(ref[c])), what + " candidate " + c);
        }
        assertEquals(reference.bestIndex(), fast.bestIndex(), what + " choice"); // no near-tie on these seeds
        assertEquals(reference.range(), fast.range(), what);
    }

    /** Shapes: 0 ReLU with zero spike, 1 Gaussian, 2 heavy tail, 3 sparse counts, 4 tiny (129-300 bins), 5 spikes. */
    static Histogram randomShape(Random r, int shape) {
        if (shape <= 2) {
            float[] x = new float[20_000 + r.nextInt(40_000)];
            for (int i = 0; i < x.length; i++) {
                double g = r.nextGaussian();
                x[i] = (float) switch (shape) {
                    case 0 -> Math.max(0, g + 0.3);
                    case 1 -> g * (1 + r.nextInt(3));
                    default -> g / Math.max(1e-3, Math.abs(r.nextGaussian()));
                };
            }
            Histogram h = Histogram.absolute(shape == 1 ? 512 + r.nextInt(2048) : 2048);
            h.add(x);
            return h;
        }
        int bins = shape == 4 ? 129 + r.nextInt(172) : 256 + r.nextInt(1900);
        long[] counts = new long[bins];
        for (int j = 0; j < bins; j++) {
            counts[j] = switch (shape) {
                case 3 -> r.nextInt(4) == 0 ? r.nextInt(50) : 0;
                case 4 -> (long) (1000 * Math.exp(-j / (10.0 + r.nextInt(60))))
                        + (r.nextInt(5) == 0 ? 0 : r.nextInt(3));
                default -> r.nextInt(40) == 0 ? 10_000 + r.nextInt(100_000) : r.nextInt(20);
            };
        }
        counts[r.nextInt(bins)] += 1 + r.nextInt(5); // never all empty
        return withCounts(counts);
    }

    private static Histogram withCounts(long[] counts) {
        double[] edges = new double[counts.length + 1];
        for (int j = 0; j < edges.length; j++) {
            edges[j] = j * 0.01;
        }
        return Histogram.withEdges(Histogram.Form.ABSOLUTE, counts, edges, 0f, (float) edges[counts.length]);
    }

    /** ncnn's floored, normalised distribution of a histogram, as {@link KlNcnn} builds it. */
    private static float[] flooredDistribution(Histogram h) {
        int n = h.bins();
        float[] dist = new float[n];
        float total = 0;
        for (int j = 0; j < n; j++) {
            dist[j] = 0.00001f + (float) (h.count(j) - (j == 0 ? h.zeroCount() : 0));
            total += dist[j];
        }
        for (int j = 0; j < n; j++) {
            dist[j] /= total;
        }
        return dist;
    }
}
