package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

/**
 * The pruned ONNX Runtime search must choose exactly what the full float32 emulation chooses, and the estimate's
 * error bound must hold against the emulation on every candidate of many histogram shapes.
 */
class OrtKlEstimateTest {

    /** Counts of 2048 signed bins in a few shapes: Gaussian, ReLU-like with a zero spike, heavy-tailed, sparse. */
    static Histogram shaped(int shape, long seed) {
        Random r = new Random(seed);
        int n = 2048;
        long[] counts = new long[n];
        int samples = switch (shape) {
            case 3 -> 300 + r.nextInt(3000); // sparse: many empty bins
            case 4 -> 5_000_000; // large counts (float32 rounds some of them)
            default -> 20_000 + r.nextInt(200_000);
        };
        double scale = 0.05 + r.nextDouble() * 0.4;
        double shift = (r.nextDouble() - 0.5) * 0.3;
        for (int k = 0; k < samples; k++) {
            double g = r.nextGaussian();
            double x = switch (shape) {
                case 1 -> g < 0 ? 0 : g * scale; // ReLU: half the values on the zero bin
                case 2 -> scale * 0.1 * Math.tan(Math.PI * (r.nextDouble() - 0.5)); // Cauchy
                case 5 -> r.nextBoolean() ? scale * g + 0.5 : scale * 0.3 * g - 0.4; // bimodal, asymmetric
                default -> scale * g + shift;
            };
            int b = (int) Math.floor((x + 1) / 2 * n);
            counts[Math.max(0, Math.min(n - 1, b))]++;
        }
        if (shape == 4) {
            counts[n / 2] += 40_000_000L; // beyond 2^24: not exact in float32
        }
        double[] edges = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            edges[j] = (float) (-1 + 2.0 * j / n);
        }
        return Histogram.withEdges(Histogram.Form.SIGNED, counts, edges, -1f, 1f);
    }

    @Test
    void estimateIsWithinItsBoundOfTheFloat32EmulationOnEveryCandidate() {
        double worstRatio = 0;
        for (int shape = 0; shape < 6; shape++) {
            for (long seed = 0; seed < 3; seed++) {
                Histogram h = shaped(shape, 100 * shape + seed);
                SearchResult exact = KlOnnxRuntime.searchExactCurve(h, 128);
                OrtKlEstimate est = estimate(h, 128);
                for (int c = 0; c < exact.values().length; c++) {
                    double want = exact.values()[c];
                    if (est.infinite[c]) {
                        assertEquals(Double.POSITIVE_INFINITY, want, "shape " + shape + " candidate " + c);
                        continue;
                    }
                    double err = Math.abs(est.estimate[c] - want);
                    assertTrue(err <= est.bound[c], "shape " + shape + " seed " + seed + " candidate " + c
                            + ": estimate " + est.estimate[c] + " emulation " + want + " bound " + est.bound[c]);
                    worstRatio = Math.max(worstRatio, err / est.bound[c]);
                }
            }
        }
        assertTrue(worstRatio < 0.5, "the bound should be generous, worst error/bound " + worstRatio);
    }

    @Test
    void prunedSearchChoosesWhatTheFullEmulationChooses() {
        for (int shape = 0; shape < 6; shape++) {
            for (long seed = 10; seed < 15; seed++) {
                Histogram h = shaped(shape, 100 * shape + seed);
                for (int nq : new int[] {128, 256}) {
                    SearchResult full = KlOnnxRuntime.searchExactCurve(h, nq);
                    SearchResult pruned = KlOnnxRuntime.search(h, nq);
                    String what = "shape " + shape + " seed " + seed + " nq " + nq;
                    assertEquals(full.bestIndex(), pruned.bestIndex(), what);
                    assertEquals(full.range(), pruned.range(), what);
                    assertEquals(full.values()[full.bestIndex()], pruned.values()[pruned.bestIndex()], what);
                    assertArrayEquals(full.thresholds(), pruned.thresholds(), what);
                }
            }
        }
    }

    private static OrtKlEstimate estimate(Histogram h, int nq) {
        long[] hist = h.counts();
        long[] prefix = new long[hist.length + 1];
        for (int j = 0; j < hist.length; j++) {
            prefix[j + 1] = prefix[j] + hist[j];
        }
        int zero = hist.length / 2;
        int half = nq / 2;
        return new OrtKlEstimate(hist, prefix, nq, zero, half, zero - half + 1);
    }
}
