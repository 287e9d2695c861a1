package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.quantlens.calib.Histogram;
import org.quantlens.exec.ExecContext;

/**
 * ncnn's KL threshold search ({@code tools/quantize/ncnn2table.cpp}, {@code QuantizeData::threshold_distribution}
 * and {@code get_data_blob_scale}), in float32 like ncnn.
 *
 * <p>ncnn's histogram: 2048 bins of |x| over [0, absmax], exact zeros are skipped, every bin starts at 1e-5 and
 * the histogram is normalised to sum 1. Here: the |x| histogram's counts minus {@link Histogram#zeroCount()} from
 * bin 0, plus 1e-5 per bin, normalised.
 *
 * <p>For every candidate t = 128 .. B-1 (B itself is not tried):
 * <ul>
 * <li>P = dist[0..t) with the tail sum(dist[t..B)) added to bin t-1;</li>
 * <li>Q: the t bins are cut into 128 levels of t/128 (fractional) bins each; a bin straddling a level boundary
 * contributes to both levels in proportion to its overlap. Each level's mass (of dist, without the tail) is spread
 * over its non-empty bins in proportion to their overlap;</li>
 * <li>KL = sum over P != 0 of P*log(P/Q), a bin with Q == 0 adding 1 (ncnn's rule); P and Q are not renormalised.
 * Where the running float32 tail has drifted below zero, P of the last bin is negative and KL is NaN, as in ncnn; such a
 * candidate is never chosen.</li>
 * </ul>
 * The first minimum below 1000 wins (ncnn starts its minimum at 1000), and the threshold is (t + 0.5) * w.
 *
 * <p>Differences from {@link KlTensorRt}: fractional level boundaries instead of floor(j*128/i); the 1e-5 floor (so
 * no bin is ever empty and Q is effectively never zero); zeros skipped; Q built from the floored distribution;
 * candidates stop at B-1; first minimum instead of last; threshold always (t + 0.5) * w.
 * Range (0, t) for non-negative data, else (-t, t).
 *
 * <p>Evaluation: ncnn's loops cost O(B) per candidate, O(B^2) in all; {@link #search} instead uses
 * {@link KlNcnnLevels} (O(128) per candidate, vectorised; about 10 times faster than the prefix-sum path for
 * B = 2048), or, for B - 1 > 2^17 bins, where ncnn's float32 level boundaries stop being exact, a scalar prefix-sum
 * evaluation. Both agree with ncnn's float32 loops to within the loops' own float32 rounding (tested:
 * 5e-5 * max(1, |KL|)); the curve is stored as float like ncnn's. The Vector API code is slow (up to ~1 ms per
 * candidate) until C2 has compiled it, which takes a few searches in a fresh JVM. Candidates whose last bin is
 * negative (a drifted running tail) are NaN without level work, and a caller that keeps only the range
 * ({@link #search(Histogram, ExecContext, boolean)} with {@code fullCurve} false) skips the candidates a lower bound
 * rules out ({@link #prunedCurve}): on the reference models' tensors about a third of the rest.
 */
public final class KlNcnn {
    private static final int TARGET_BIN = 128;

    private KlNcnn() {
    }

    public static SearchResult search(Histogram hist) {
        return search(hist, true);
    }

    /**
     * The same search with the candidates' divergences computed in parallel on {@code ctx}: each candidate is
     * evaluated on its own (per-chunk scratch), so the curve and the first-minimum choice do not depend on threads.
     */
    public static SearchResult search(Histogram hist, ExecContext ctx) {
        return search(hist, true, ctx);
    }

    /**
     * The same search for a caller that keeps only the range (a calibration table): with {@code fullCurve} false,
     * candidates that provably cannot be chosen are skipped and get NaN as their value (see
     * {@link #prunedCurve}). The range, the chosen index and every evaluated value equal the full search's.
     */
    public static SearchResult search(Histogram hist, ExecContext ctx, boolean fullCurve) {
        return search(hist, Evaluation.FASTEST, ctx, fullCurve);
    }

    /** How the candidates' divergences are computed; all give the same curve to float precision. */
    enum Evaluation {
        /** ncnn's element-wise loops in float32, O(B) per candidate: the reference. */
        ELEMENTWISE,
        /** Prefix sums with per-bin corrections for straddling bins, O(128) per candidate, any bin count. */
        PREFIX,
        /** {@link KlNcnnLevels}: vectorised level algebra; needs B - 1 <= 2^17 (exact float boundaries). */
        LEVELS,
        /** LEVELS when it applies, else PREFIX. */
        FASTEST
    }

    static SearchResult search(Histogram hist, boolean fast) {
        return search(hist, fast ? Evaluation.FASTEST : Evaluation.ELEMENTWISE, ExecContext.singleThreaded());
    }

    static SearchResult search(Histogram hist, boolean fast, ExecContext ctx) {
        return search(hist, fast ? Evaluation.FASTEST : Evaluation.ELEMENTWISE, ctx);
    }

    static SearchResult search(Histogram hist, Evaluation how, ExecContext ctx) {
        return search(hist, how, ctx, true);
    }

    static SearchResult search(Histogram hist, Evaluation how, ExecContext ctx, boolean fullCurve) {
        Histogram h = hist.form() == Histogram.Form.ABSOLUTE ? hist : hist.toAbsolute();
        List<String> warnings = new ArrayList<>();
        int n = h.bins();
        long nonZeroValues = h.total() - h.zeroCount();
        if (nonZeroValues <= 0 || n <= TARGET_BIN) {
            warnings.add(nonZeroValues <= 0 ? "no non-zero value: range is the observed range or [0, 0]"
                    : "need more than " + TARGET_BIN + " bins, got " + n + ": using the full range");
            return SearchResult.of(nonZeroValues <= 0 ? Searches.observedOrZero(h) : KlTensorRt.toRange(h, h.edge(n)),
                    warnings);
        }
        float[] dist = new float[n];
        float total = 0;
        for (int j = 0; j < n; j++) {
            long c = h.count(j) - (j == 0 ? h.zeroCount() : 0);
            dist[j] = 0.00001f + (float) c;
            total += dist[j];
        }
        for (int j = 0; j < n; j++) {
            dist[j] /= total;
        }
        double width = (h.edge(n) - h.edge(0)) / n;
        int candidates = n - TARGET_BIN;
        double[] thresholds = new double[candidates];
        float[] tails = new float[candidates];
        float tailSum = 0;
        for (int t = TARGET_BIN; t < n; t++) {
            tailSum += dist[t];
        }
        for (int t = TARGET_BIN; t < n; t++) { // ncnn's running float tail, kept sequential
            tails[t - TARGET_BIN] = tailSum;
            tailSum -= dist[t];
            thresholds[t - TARGET_BIN] = (t + 0.5) * width;
        }
        double[] kl = curve(dist, tails, how, ctx, fullCurve);
        int best = -1;
        double minKl = 1000;
        for (int c = 0; c < candidates; c++) {
            if (kl[c] < minKl) {
                minKl = kl[c];
                best = c;
            }
        }
        if (best < 0) {
            warnings.add("no candidate divergence below ncnn's starting minimum 1000: using t = 128 as ncnn does");
            best = 0;
        }
        return new SearchResult(KlTensorRt.toRange(h, thresholds[best]), thresholds, kl, best, warnings);
    }

    /**
     * Each candidate's divergence, stored as float like ncnn's; tails[c] is the tail mass of t = 128 + c. Without
     * {@code fullCurve}, the level evaluator skips candidates that cannot be chosen ({@link #prunedCurve}).
     */
    private static double[] curve(float[] dist, float[] tails, Evaluation how, ExecContext ctx, boolean fullCurve) {
        Evaluation use = how != Evaluation.FASTEST ? how
                : KlNcnnLevels.applies(dist) ? Evaluation.LEVELS : Evaluation.PREFIX;
        if (use == Evaluation.LEVELS && !fullCurve) {
            return prunedCurve(new KlNcnnLevels(dist), tails, ctx);
        }
        double[] kl = new double[tails.length];
        Prefix prefixTables = use == Evaluation.PREFIX ? new Prefix(dist) : null;
        KlNcnnLevels levelTables = use == Evaluation.LEVELS ? new KlNcnnLevels(dist) : null;
        ctx.parallelFor(tails.length, 8L * TARGET_BIN, (from, to) -> {
            Prefix prefix = prefixTables != null ? new Prefix(prefixTables) : null;
            KlNcnnLevels levels = levelTables != null ? new KlNcnnLevels(levelTables) : null;
            boolean elementwise = use == Evaluation.ELEMENTWISE;
            float[] quantized = elementwise ? new float[TARGET_BIN] : null;
            float[] expand = elementwise ? new float[dist.length] : null;
            for (int c = from; c < to; c++) {
                int t = TARGET_BIN + c;
                if (!elementwise && negativeTailBin(dist, t, tails[c])) {
                    kl[c] = Double.NaN;
                } else if (levels != null) {
                    kl[c] = (float) levels.divergence(t, tails[c]);
                } else if (prefix != null) {
                    kl[c] = (float) prefix.divergence(t, tails[c]);
                } else {
                    expandCandidate(dist, t, quantized, expand);
                    kl[c] = divergence(dist, expand, t, tails[c]);
                }
            }
        });
        return kl;
    }

    /**
     * The curve with the candidates that cannot be chosen left out (NaN): candidate c is evaluated unless its
     * {@link KlNcnnLevels#lowerBound} exceeds the smallest divergence already found (by any worker) plus a margin.
     * The workers walk the candidates from high t down, interleaved, so they meet the curve's minimum before the low
     * candidates, where the bound bites.
     *
     * <p>Why the choice cannot change: a skipped candidate's divergence is at least its bound (minus the rounding of
     * both computations, about 1e-13), so it exceeds the minimum by more than margin(m) = 1e-9 + 2^-20 |m|, more than
     * the float32 spacing at m (2^-23 |m|): even stored as float it stays above the stored minimum, so the first-minimum
     * rule picks the same candidate with the same value. Which candidates are skipped depends on the thread timing;
     * the range, the choice and each evaluated value do not.
     */
    private static double[] prunedCurve(KlNcnnLevels tables, float[] tails, ExecContext ctx) {
        int candidates = tails.length;
        double[] kl = new double[candidates];
        AtomicLong smallestBits = new AtomicLong(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        // Worker w takes candidates n-1-w, n-1-w-workers, ...: all walk down from the top together, so each meets
        // the minimum (found by any of them) before the low candidates, instead of one worker starting mid-curve.
        int workers = Math.max(1, Math.min(ctx.threads(), candidates));
        ctx.parallelFor(workers, (long) candidates * TARGET_BIN, (w0, w1) -> {
            for (int w = w0; w < w1; w++) {
                KlNcnnLevels levels = new KlNcnnLevels(tables);
                double smallest = Double.POSITIVE_INFINITY;
                for (int c = candidates - 1 - w; c >= 0; c -= workers) {
                    int t = TARGET_BIN + c;
                    if (negativeTailBin(tables.dist(), t, tails[c])) {
                        kl[c] = Double.NaN;
                        continue;
                    }
                    double known = Math.min(smallest, Double.longBitsToDouble(smallestBits.get()));
                    if (levels.lowerBound(t, tails[c]) > known + 1e-9 + Math.scalb(Math.abs(known), -20)) {
                        kl[c] = Double.NaN;
                        continue;
                    }
                    double d = levels.divergence(t, tails[c]);
                    kl[c] = (float) d;
                    if (d < smallest) {
                        smallest = d;
                        lowerTo(smallestBits, d);
                    }
                }
            }
        });
        return kl;
    }

    /**
     * Whether candidate t's last bin P = d[t-1] + tail is negative, which makes its divergence NaN (P log(P/Q) of a
     * negative P, in ncnn as here) without any level work. The tail is ncnn's running float32 difference
     * sum(d[128..B)) - d[128] - ... - d[t-1]; where the true tail is below its rounding error (sparse high bins, about
     * half the candidates of the reference models' ReLU outputs) it comes out negative.
     */
    private static boolean negativeTailBin(float[] dist, int t, float tail) {
        return dist[t - 1] + tail < 0;
    }

    /** Atomically lowers the double held as bits in {@code bits} to {@code value} if it is smaller. */
    private static void lowerTo(AtomicLong bits, double value) {
        long seen = bits.get();
        while (value < Double.longBitsToDouble(seen)
                && !bits.compareAndSet(seen, Double.doubleToRawLongBits(value))) {
            seen = bits.get();
        }
    }

    /** Builds Q for candidate t into expand[0..t), following ncnn's fractional level boundaries. */
    private static void expandCandidate(float[] dist, int t, float[] quantized, float[] expand) {
        float perLevel = (float) t / (float) TARGET_BIN;
        java.util.Arrays.fill(expand, 0, t, 0f);
        for (int i = 0; i < TARGET_BIN; i++) {
            float start = i * perLevel;
            float end = start + perLevel;
            int leftUpper = (int) Math.ceil(start);
            int rightLower = (int) Math.floor(end);
            float leftScale = leftUpper > start ? leftUpper - start : 0f;
            float rightScale = rightLower < end ? end - rightLower : 0f;
            float q = 0;
            float count = 0;
            if (leftUpper > start) {
                q += leftScale * dist[leftUpper - 1];
                count += dist[leftUpper - 1] != 0 ? leftScale : 0f;
            }
            if (rightLower < end) {
                q += rightScale * dist[rightLower];
                count += dist[rightLower] != 0 ? rightScale : 0f;
            }
            for (int j = leftUpper; j < rightLower; j++) {
                q += dist[j];
                count += dist[j] != 0 ? 1f : 0f;
            }
            quantized[i] = q;
            float value = q / count;
            if (leftUpper > start && dist[leftUpper - 1] != 0) {
                expand[leftUpper - 1] += value * leftScale;
            }
            if (rightLower < end && rightLower < t && dist[rightLower] != 0) {
                expand[rightLower] += value * rightScale;
            }
            for (int j = leftUpper; j < rightLower; j++) {
                if (dist[j] != 0) {
                    expand[j] += value;
                }
            }
        }
    }

    private static float divergence(float[] dist, float[] expand, int t, float tail) {
        float result = 0;
        for (int j = 0; j < t; j++) {
            float p = j == t - 1 ? dist[j] + tail : dist[j];
            if (p != 0) {
                result += expand[j] == 0 ? 1f : (float) (p * Math.log(p / expand[j]));
            }
        }
        return result;
    }

    /**
     * The fallback fast path (any bin count; {@link KlNcnnLevels} needs exact float boundaries): the divergence from
     * prefix sums of d and d*log(d): a level's fully covered bins all get Q = value, so
     * their terms sum to sum(d log d) - log(value) * sum(d); only the straddling bins (at most two per level) and the
     * tail bin t-1 are evaluated one by one. Sums in double (ncnn accumulates in float). Per candidate one log per
     * level and one per touched bin, by {@link FastLog} (absolute error ~4e-16 * |log|, invisible next to float32).
     */
    private static final class Prefix {
        final float[] dist;
        final double[] sum;
        final double[] dlogd;
        final double[] binDlogd;
        final double[] extra;
        final double[] fullValue;
        final double[] fullLog;
        final int[] stamp;
        final int[] touched;
        int touchedCount;
        int candidate;

        Prefix(float[] dist) {
            int n = dist.length;
            this.dist = dist;
            sum = new double[n + 1];
            dlogd = new double[n + 1];
            binDlogd = new double[n];
            for (int j = 0; j < n; j++) {
                binDlogd[j] = dist[j] > 0 ? dist[j] * Math.log(dist[j]) : 0;
                sum[j + 1] = sum[j] + dist[j];
                dlogd[j + 1] = dlogd[j] + binDlogd[j];
            }
            extra = new double[n + 1];
            fullValue = new double[n + 1];
            fullLog = new double[n + 1];
            stamp = new int[n + 1];
            touched = new int[4 * TARGET_BIN + 2];
        }

        /** Shares {@code tables}' read-only prefix sums, with scratch of its own (one per worker). */
        Prefix(Prefix tables) {
            int n = tables.dist.length;
            dist = tables.dist;
            sum = tables.sum;
            dlogd = tables.dlogd;
            binDlogd = tables.binDlogd;
            extra = new double[n + 1];
            fullValue = new double[n + 1];
            fullLog = new double[n + 1];
            stamp = new int[n + 1];
            touched = new int[4 * TARGET_BIN + 2];
        }

        private void touch(int j, double v) {
            if (extra[j] == 0) {
                touched[touchedCount++] = j;
            }
            extra[j] += v;
        }

        double divergence(int t, float tail) {
            candidate++;
            touchedCount = 0;
            float perLevel = (float) t / (float) TARGET_BIN;
            double kl = 0;
            for (int i = 0; i < TARGET_BIN; i++) {
                float start = i * perLevel;
                float end = start + perLevel;
                int lu = ceilNonNegative(start);
                int rl = (int) end; // floor, as end >= 0
                float ls = lu > start ? lu - start : 0f;
                float rs = rl < end ? end - rl : 0f;
                double q = ls * (lu > start ? dist[lu - 1] : 0) + rs * (rl < end ? dist[rl] : 0)
                        + (rl > lu ? sum[rl] - sum[lu] : 0);
                double count = ls + rs + Math.max(0, rl - lu);
                double value = q / count;
                if (lu > start) {
                    touch(lu - 1, value * ls);
                }
                if (rl < end && rl < t) {
                    touch(rl, value * rs);
                }
                if (rl > lu) {
                    double logValue = FastLog.log(value);
                    kl += (dlogd[rl] - dlogd[lu]) - logValue * (sum[rl] - sum[lu]);
                    mark(lu, value, logValue);
                    mark(rl - 1, value, logValue);
                }
            }
            for (int k = 0; k < touchedCount; k++) {
                kl += correction(touched[k], t, tail);
            }
            if (extra[t - 1] == 0) {
                kl += correction(t - 1, t, tail);
            }
            for (int k = 0; k < touchedCount; k++) {
                extra[touched[k]] = 0;
            }
            return kl;
        }

        /** ceil for 0 <= x < 2^31 without Math.ceil, which C2 does not always intrinsify. */
        private static int ceilNonNegative(float x) {
            int down = (int) x;
            return down < x ? down + 1 : down;
        }

        private void mark(int j, double value, double logValue) {
            stamp[j] = candidate;
            fullValue[j] = value;
            fullLog[j] = logValue;
        }

        /**
         * Replaces bin j's full-level term d*log(d/full) by its exact term p*log(p/e) (partial contributions, tail),
         * with d*log(d) and log(full) taken from the tables so that only log(e) is new: one log per touched bin.
         */
        private double correction(int j, int t, float tail) {
            boolean marked = stamp[j] == candidate;
            double full = marked ? fullValue[j] : 0;
            double d = dist[j];
            double c = full > 0 ? d * fullLog[j] - binDlogd[j] : 0;
            double e = full + extra[j];
            boolean tailBin = j == t - 1;
            double p = tailBin ? d + tail : d;
            if (p == 0) {
                return c;
            }
            if (e == 0) {
                return c + 1;
            }
            return c + (tailBin ? p * FastLog.log(p / e) : binDlogd[j] - p * FastLog.log(e));
        }
    }
}
