package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.NumpyCompat;

/**
 * ONNX Runtime's entropy calibrator ({@code HistogramCollector.get_entropy_threshold} in
 * onnxruntime/python/tools/quantization/calibrate.py), reproduced on the same histogram with its quirks, so that
 * (lo, hi) equals ONNX Runtime's to float precision.
 *
 * <p>On a signed histogram of B bins (ORT's {@code collect_value}: range [-t, t]) with zero bin z = B/2 and
 * Nq quantized bins, candidates i = Nq/2 .. z take the bins [z - i, min(z + i + 1, B)):
 * <ul>
 * <li>P = those bins, with everything left of them added to the first and everything right to the last;</li>
 * <li>the same bins <i>without</i> the outliers are summed in Nq chunks of m = len / Nq bins (the remainder goes to
 * the last chunk); Q gives every bin of chunk k (also P's empty ones) the value trunc(sum_k / nonzero_k) where
 * nonzero_k counts P's non-empty bins in the chunk (Q is an int64 array in ORT, hence the truncation); the
 * remainder bins beyond Nq*m stay 0;</li>
 * <li>both are smoothed in float32 ({@code smooth_distribution}, eps = 1e-4: zeros become eps, non-zeros lose
 * eps * zeros / nonzeros), then KL = scipy.stats.entropy(P, Q) in float32: normalised by NumPy pairwise sums,
 * each term P*log(P/Q) evaluated in double and rounded to float, summed pairwise; a Q with no non-zero bin gives
 * +Inf;</li>
 * <li>the first minimum wins; the range is (edges[z - i], edges[end]) clamped to the observed [min, max].</li>
 * </ul>
 * With B = Nq (ORT's defaults 128/128) there is a single candidate, the whole range clamped to [min, max]; it is
 * returned with a warning. The float32 edges of the histogram are used as given (read them from the file or build
 * the histogram with {@link org.quantlens.calib.OrtHistogramCollector}).
 *
 * <p>Cost: the emulation is O(B) per candidate with one log per bin (bit-exact emulation forbids prefix sums because
 * the smoothing constant changes every term per candidate), O(B^2/4) for all. {@link #search} first estimates every
 * candidate in O(Nq) with a rigorous error bound ({@link OrtKlEstimate}) and runs the emulation only on candidates
 * that can still be the first minimum, so the choice is the emulation's by construction.
 */
public final class KlOnnxRuntime {
    /** ORT's smoothing epsilon. */
    static final double EPS = 0.0001;

    private KlOnnxRuntime() {
    }

    /**
     * Runs the search with {@code numQuantizedBins} (ORT's {@code num_quantized_bins}, default 128). The chosen range
     * is exactly the one of the full emulation ({@link #searchExactCurve}); in the returned curve, candidates that
     * provably cannot be the minimum carry {@link OrtKlEstimate}'s double-precision estimate of their divergence
     * instead of the float32-exact value: within the bound stated there (1e-5 to 4e-4 absolute on the test shapes;
     * the errors observed are about 1e-6), which is invisible in a plotted curve.
     */
    public static SearchResult search(Histogram h, int numQuantizedBins) {
        return search(h, numQuantizedBins, false);
    }

    /** The same search with every candidate's divergence evaluated by the bit-exact float32 emulation (slower). */
    public static SearchResult searchExactCurve(Histogram h, int numQuantizedBins) {
        return search(h, numQuantizedBins, true);
    }

    private static SearchResult search(Histogram h, int numQuantizedBins, boolean exactCurve) {
        List<String> warnings = new ArrayList<>();
        int n = h.bins();
        int zero = n / 2;
        int half = numQuantizedBins / 2;
        int candidates = zero - half + 1;
        if (h.isEmpty()) {
            warnings.add("empty histogram: range is the observed [min, max] or [0, 0]");
            return SearchResult.of(Searches.observedOrZero(h), warnings);
        }
        if (candidates < 1 || numQuantizedBins < 1) {
            warnings.add("num_quantized_bins " + numQuantizedBins + " exceeds the " + n
                    + " histogram bins: no candidate, using the histogram range (ONNX Runtime fails here)");
            return SearchResult.of(clamp(h, h.edge(0), h.edge(n)), warnings);
        }
        if (candidates == 1) {
            warnings.add("only one candidate threshold (num_bins " + n + " vs num_quantized_bins " + numQuantizedBins
                    + "): the range is the histogram range clamped to [min, max], no search happened");
        }
        long[] hist = h.counts();
        long[] prefix = new long[n + 1];
        for (int j = 0; j < n; j++) {
            prefix[j + 1] = prefix[j] + hist[j];
        }
        Scratch s = new Scratch(n);
        double[] thresholds = new double[candidates];
        double[] kl = new double[candidates];
        OrtKlEstimate est = exactCurve ? null : new OrtKlEstimate(hist, prefix, numQuantizedBins, zero, half, candidates);
        double cutoff = est == null ? Double.POSITIVE_INFINITY : cutoff(est);
        int best = 0;
        for (int c = 0; c < candidates; c++) {
            int i = half + c;
            int start = zero - i;
            int end = Math.min(zero + i + 1, n);
            thresholds[c] = h.edge(end);
            if (est != null && est.infinite[c]) {
                kl[c] = Double.POSITIVE_INFINITY;
            } else if (est != null && est.estimate[c] - est.bound[c] > cutoff) {
                kl[c] = est.estimate[c]; // provably above some candidate's exact divergence: cannot be the minimum
            } else {
                kl[c] = divergence(hist, prefix, start, end, numQuantizedBins, s);
            }
            if (kl[c] < kl[best]) {
                best = c;
            }
        }
        int i = half + best;
        Range r = clamp(h, h.edge(zero - i), h.edge(Math.min(zero + i + 1, n)));
        return new SearchResult(r, thresholds, kl, best, warnings);
    }

    /** With ORT's default num_quantized_bins = 128. */
    public static SearchResult search(Histogram h) {
        return search(h, 128);
    }

    /** The smallest upper bound on any candidate's exact divergence; candidates whose lower bound exceeds it lose. */
    private static double cutoff(OrtKlEstimate est) {
        double cutoff = Double.POSITIVE_INFINITY;
        for (int c = 0; c < est.estimate.length; c++) {
            double upper = est.estimate[c] + est.bound[c];
            if (!est.infinite[c] && upper < cutoff) { // NaN never lowers the cutoff
                cutoff = upper;
            }
        }
        return cutoff;
    }

    private static Range clamp(Histogram h, double lo, double hi) {
        double min = h.min();
        double max = h.max();
        if (lo < min) {
            lo = min;
        }
        if (hi > max) {
            hi = max;
        }
        return new Range(Math.min(lo, hi), Math.max(lo, hi));
    }

    /** Reusable buffers, one set per search. */
    private static final class Scratch {
        final long[] p;
        final long[] q;
        final float[] ps;
        final float[] qs;
        final float[] terms;

        Scratch(int n) {
            p = new long[n];
            q = new long[n];
            ps = new float[n];
            qs = new float[n];
            terms = new float[n];
        }
    }

    private static double divergence(long[] hist, long[] prefix, int start, int end, int nq, Scratch s) {
        int len = end - start;
        System.arraycopy(hist, start, s.p, 0, len);
        s.p[0] += prefix[start];
        s.p[len - 1] += prefix[hist.length] - prefix[end];
        int m = len / nq;
        java.util.Arrays.fill(s.q, 0, len, 0L);
        for (int k = 0; k < nq; k++) {
            int a = k * m;
            int b = a + m;
            long sum = prefix[start + b] - prefix[start + a];
            if (k == nq - 1) {
                sum += prefix[end] - prefix[start + nq * m];
            }
            int nonzero = 0;
            for (int j = a; j < b; j++) {
                nonzero += s.p[j] != 0 ? 1 : 0;
            }
            if (nonzero != 0) {
                long v = (long) ((double) sum / (double) nonzero);
                java.util.Arrays.fill(s.q, a, b, v);
            }
        }
        if (!smooth(s.p, s.ps, len) || !smooth(s.q, s.qs, len)) {
            return Double.POSITIVE_INFINITY;
        }
        return entropyFloat32(s.ps, s.qs, s.terms, len);
    }

    /** ORT's smooth_distribution in float32; false when every entry is zero (ORT then reports +Inf). */
    static boolean smooth(long[] x, float[] out, int len) {
        int zeros = 0;
        for (int j = 0; j < len; j++) {
            zeros += x[j] == 0 ? 1 : 0;
        }
        int nonzeros = len - zeros;
        if (nonzeros == 0) {
            return false;
        }
        double eps1 = EPS * (double) zeros / (double) nonzeros;
        float addZero = (float) EPS;
        float addNonzero = (float) -eps1;
        for (int j = 0; j < len; j++) {
            out[j] = (float) x[j] + (x[j] == 0 ? addZero : addNonzero);
        }
        return true;
    }

    /** scipy.stats.entropy(p, q) on float32 arrays. */
    static double entropyFloat32(float[] p, float[] q, float[] terms, int len) {
        float sp = NumpyCompat.pairwiseSum(p, 0, len);
        float sq = NumpyCompat.pairwiseSum(q, 0, len);
        float lastP = Float.NaN;
        float lastQ = Float.NaN;
        float lastTerm = 0f;
        for (int j = 0; j < len; j++) {
            // runs of equal (p, q) pairs (empty tails, flat chunks) are common: reuse the term, same value
            if (p[j] != lastP || q[j] != lastQ) {
                lastP = p[j];
                lastQ = q[j];
                lastTerm = relEntr(lastP / sp, lastQ / sq);
            }
            terms[j] = lastTerm;
        }
        return NumpyCompat.pairwiseSum(terms, 0, len);
    }

    /** scipy.special.rel_entr for float32 arguments: computed in double, rounded to float. */
    static float relEntr(float x, float y) {
        if (x > 0 && y > 0) {
            double dx = x;
            return (float) (dx * Math.log(dx / y));
        }
        if (x == 0 && y >= 0) {
            return 0f;
        }
        return Float.POSITIVE_INFINITY;
    }
}
