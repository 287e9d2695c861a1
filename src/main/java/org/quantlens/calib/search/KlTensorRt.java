package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;
import org.quantlens.exec.ExecContext;

/**
 * TensorRT's entropy calibration as presented in "8-bit Inference with TensorRT" (Szymon Migacz, GTC 2017), in the
 * form of NVIDIA's pytorch-quantization ({@code calib/histogram.py}, {@code _compute_amax_entropy}).
 *
 * <p>On a histogram of |x| with B bins (2048) of width w, for every candidate i = start .. B (start = levels = 128):
 * <ul>
 * <li>P = bins[0..i) with the tail sum(bins[i..B)) added to bin i-1;</li>
 * <li>Q: bin j belongs to level floor(j * levels / i); each level's mass sum(bins[j]) (without the tail) is spread
 * uniformly over the level's <i>non-empty</i> bins, empty bins stay empty;</li>
 * <li>KL(P || Q) = sum P/|P| * log((P/|P|) / (Q/|Q|)) with 0 log 0 = 0 and no smoothing (pytorch-quantization uses
 * scipy.stats.entropy on the raw arrays): a non-empty P bin over an empty Q bin, e.g. a tail folded onto an empty
 * bin i-1, makes the candidate +Inf.</li>
 * </ul>
 * The last candidate with the minimum wins (pytorch-quantization's {@code last_argmin}). Threshold
 * t = (i + 0.5) * w as in the GTC slides, or edge i = i * w ({@link Options#thresholdAtEdge}, what
 * pytorch-quantization returns); t never exceeds the histogram's upper edge. {@link Options#suppressZeroSpike} sets
 * bins[0] = bins[1] first, as pytorch-quantization always does, so that a ReLU's spike of zeros does not dominate.
 *
 * <p>The result is (0, t) when the observed min is >= 0 (a |x| histogram of non-negative data: the unsigned range is
 * the useful one) and (-t, t) otherwise. A SIGNED histogram is first folded with {@link Histogram#toAbsolute()}.
 *
 * <p>Cost O(B * levels): per candidate and level the sums come from prefix sums of bins, of non-empty flags and of
 * bins*log(bins), using sum_level P log Q = S_k log(S_k / N_k); the level terms S_k log(S_k / N_k) depend only on
 * the level's window of bins and are tabulated once per window ({@link KlTensorRtLevels}, bit-identical result). Evaluated in double (the reference evaluates the
 * same formula element by element, so values agree to rounding); the per-level logs, the hot spot, use
 * {@link FastLog} (absolute error about 4e-16 * |log|, so the divergence moves by ~1e-15, far inside the 1e-9 that
 * the element-wise comparison allows).
 */
public final class KlTensorRt {
    /**
     * @param levels            quantized levels (128 for int8: 2^(bits-1))
     * @param startBin          first candidate bin count (128)
     * @param suppressZeroSpike set bins[0] = bins[1] before searching
     * @param thresholdAtEdge   t = i*w instead of (i + 0.5)*w
     */
    public record Options(int levels, int startBin, boolean suppressZeroSpike, boolean thresholdAtEdge) {
        public static final Options DEFAULT = new Options(128, 128, false, false);
    }

    private KlTensorRt() {
    }

    public static SearchResult search(Histogram h) {
        return search(h, Options.DEFAULT);
    }

    public static SearchResult search(Histogram hist, Options o) {
        return search(hist, o, ExecContext.singleThreaded());
    }

    /**
     * The same search with the candidates' divergences computed in parallel on {@code ctx}: each candidate is
     * evaluated on its own, so the curve and the (sequential) last-argmin are identical for any thread count.
     */
    public static SearchResult search(Histogram hist, Options o, ExecContext ctx) {
        return search(hist, o, ctx, true);
    }

    /** {@code tabulated}: share the level terms between candidates ({@link KlTensorRtLevels}); else per level. */
    static SearchResult search(Histogram hist, Options o, ExecContext ctx, boolean tabulated) {
        Histogram h = hist.form() == Histogram.Form.ABSOLUTE ? hist : hist.toAbsolute();
        List<String> warnings = new ArrayList<>();
        int n = h.bins();
        long[] bins = h.counts();
        if (o.suppressZeroSpike() && n > 1) {
            bins[0] = bins[1];
        }
        long total = 0;
        for (long c : bins) {
            total += c;
        }
        int start = Math.max(o.startBin(), o.levels());
        if (total == 0 || start > n) {
            warnings.add(total == 0 ? "empty histogram: range is the observed range or [0, 0]"
                    : "fewer bins (" + n + ") than levels (" + o.levels() + "): no search, using the full range");
            return SearchResult.of(total == 0 ? Searches.observedOrZero(h) : toRange(h, h.edge(n)), warnings);
        }
        long[] sum = new long[n + 1];
        int[] nonzero = new int[n + 1];
        double[] plogp = new double[n + 1];
        for (int j = 0; j < n; j++) {
            sum[j + 1] = sum[j] + bins[j];
            nonzero[j + 1] = nonzero[j] + (bins[j] != 0 ? 1 : 0);
            plogp[j + 1] = plogp[j] + xlogx(bins[j]);
        }
        double width = (h.edge(n) - h.edge(0)) / n;
        int candidates = n - start + 1;
        double[] thresholds = new double[candidates];
        double[] kl = new double[candidates];
        double[] logCount = logTable(n);
        int levels = o.levels();
        long all = total;
        KlTensorRtLevels table = tabulated ? new KlTensorRtLevels(sum, nonzero, logCount, levels, start, ctx) : null;
        ctx.parallelFor(candidates, 4L * levels, (from, to) -> {
            double[] four = new double[4];
            int c = from;
            for (; table != null && c + 4 <= to; c += 4) {
                table.crossTerms4(sum, nonzero, logCount, start + c, four);
                for (int j = 0; j < 4; j++) {
                    kl[c + j] = divergence(bins, sum, nonzero, plogp, start + c + j, levels, all, logCount, four[j]);
                }
            }
            for (; c < to; c++) {
                int i = start + c;
                double pLogQ = table != null ? table.crossTerms(sum, nonzero, logCount, i)
                        : directCrossTerms(sum, nonzero, logCount, i, levels);
                kl[c] = divergence(bins, sum, nonzero, plogp, i, levels, all, logCount, pLogQ);
            }
        });
        int best = -1;
        for (int c = 0; c < candidates; c++) {
            int i = start + c;
            thresholds[c] = Math.min(h.edge(0) + (o.thresholdAtEdge() ? i : i + 0.5) * width, h.edge(n));
            if (best < 0 || kl[c] <= kl[best]) {
                best = c;
            }
        }
        if (kl[best] == Double.POSITIVE_INFINITY) {
            warnings.add("every candidate has infinite divergence: using the full range");
            return SearchResult.of(toRange(h, h.edge(n)), warnings);
        }
        return new SearchResult(toRange(h, thresholds[best]), thresholds, kl, best, warnings);
    }

    static Range toRange(Histogram h, double t) {
        return h.min() >= 0 ? new Range(0, t) : new Range(-t, t);
    }

    /** Math.log of small counts, computed once: the same values as calling it (identical results, fewer logs). */
    private static final double[] MATH_LOG = new double[1 << 14];

    static {
        for (int v = 0; v < MATH_LOG.length; v++) {
            MATH_LOG[v] = Math.log(v);
        }
    }

    /** {@code Math.log((double) v)} for a count v >= 0. */
    private static double mathLog(long v) {
        return v < MATH_LOG.length ? MATH_LOG[(int) v] : Math.log(v);
    }

    /** log(0..n), for the non-empty bin counts of a level. */
    private static double[] logTable(int n) {
        if (n < MATH_LOG.length) {
            return MATH_LOG;
        }
        double[] t = new double[n + 1];
        for (int j = 1; j <= n; j++) {
            t[j] = Math.log(j);
        }
        return t;
    }

    /** x log x for a count x >= 0, 0 for 0. */
    private static double xlogx(long x) {
        return x > 0 ? x * mathLog(x) : 0;
    }

    /**
     * The levels' cross terms sum_level S log(S / N) of candidate i, evaluated level by level as
     * S (log S - log N), log N from a table: one log per level and no division.
     */
    private static double directCrossTerms(long[] sum, int[] nonzero, double[] logCount, int i, int levels) {
        double pLogQ = 0;
        int a = 0;
        int shift = Integer.bitCount(levels) == 1 ? Integer.numberOfTrailingZeros(levels) : -1;
        for (int k = 0; k < levels; k++) {
            long num = (long) (k + 1) * i + levels - 1; // b = ceil((k+1) * i / levels)
            int b = (int) (shift >= 0 ? num >>> shift : num / levels);
            pLogQ += KlTensorRtLevels.levelTerm(sum, nonzero, logCount, a, b);
            a = b;
        }
        return pLogQ;
    }

    /** KL(P||Q) for candidate i from prefix sums and the levels' cross terms {@code pLogQ}; O(1). */
    private static double divergence(long[] bins, long[] sum, int[] nonzero, double[] plogp, int i, int levels,
                                     long total, double[] logCount, double pLogQ) {
        long tail = total - sum[i];
        long inside = sum[i];
        long lastBin = bins[i - 1];
        if (inside == 0 || (tail > 0 && lastBin == 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double pLogP = plogp[i];
        if (tail > 0) {
            pLogP += xlogx(lastBin + tail) - xlogx(lastBin);
            int lastStart = (int) (((long) (levels - 1) * i + levels - 1) / levels);
            long s = sum[i] - sum[lastStart]; // > 0: it holds bin i-1, non-empty here
            pLogQ += tail * (FastLog.log(s) - logCount[nonzero[i] - nonzero[lastStart]]);
        }
        double t = total;
        return (pLogP - pLogQ) / t + Math.log((double) inside / t);
    }
}
