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
 * bins*log(bins), using sum_level P log Q = S_k log(S_k / N_k). Evaluated in double (the reference evaluates the
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
        ctx.parallelFor(candidates, 4L * levels, (from, to) -> {
            for (int c = from; c < to; c++) {
                kl[c] = divergence(bins, sum, nonzero, plogp, start + c, levels, all, logCount);
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

    /** log(0..n), for the non-empty bin counts of a level. */
    private static double[] logTable(int n) {
        double[] t = new double[n + 1];
        for (int j = 1; j <= n; j++) {
            t[j] = Math.log(j);
        }
        return t;
    }

    private static double xlogx(double x) {
        return x > 0 ? x * Math.log(x) : 0;
    }

    /**
     * KL(P||Q) for candidate i from prefix sums; O(levels). A level's sum_j P log Q = S log(S / N) is evaluated as
     * S (log S - log N), log N from a table: one log per level and no division. The bounds change for about two
     * thirds of the levels between consecutive candidates, too often for caching the terms to pay for its
     * unpredictable branch.
     */
    private static double divergence(long[] bins, long[] sum, int[] nonzero, double[] plogp, int i, int levels,
                                     long total, double[] logCount) {
        long tail = total - sum[i];
        long inside = sum[i];
        long lastBin = bins[i - 1];
        if (inside == 0 || (tail > 0 && lastBin == 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double pLogQ = 0;
        int a = 0;
        int shift = Integer.bitCount(levels) == 1 ? Integer.numberOfTrailingZeros(levels) : -1;
        for (int k = 0; k < levels; k++) {
            long num = (long) (k + 1) * i + levels - 1; // b = ceil((k+1) * i / levels)
            int b = (int) (shift >= 0 ? num >>> shift : num / levels);
            long s = sum[b] - sum[a];
            if (s > 0) { // s > 0 exactly when the level has a non-empty bin
                pLogQ += s * (FastLog.log(s) - logCount[nonzero[b] - nonzero[a]]);
            }
            a = b;
        }
        double pLogP = plogp[i];
        if (tail > 0) {
            pLogP += xlogx((double) lastBin + tail) - xlogx(lastBin);
            int lastStart = (int) (((long) (levels - 1) * i + levels - 1) / levels);
            long s = sum[i] - sum[lastStart]; // > 0: it holds bin i-1, non-empty here
            pLogQ += tail * (FastLog.log(s) - logCount[nonzero[i] - nonzero[lastStart]]);
        }
        double t = total;
        return (pLogP - pLogQ) / t + Math.log((double) inside / t);
    }
}
