package org.quantlens.calib.search;

/**
 * A cheap estimate of every {@link KlOnnxRuntime} candidate's divergence with a rigorous error bound, so that the
 * search can run ONNX Runtime's bit-exact float32 emulation only on the candidates that can still be the minimum.
 *
 * <p>For candidate c, {@link #estimate} holds A_c, the divergence of ORT's smoothed P and Q evaluated in real
 * (here: double) arithmetic, and {@link #bound} holds δ_c with |KL_float32(c) - A_c| <= δ_c, KL_float32 being what
 * the emulation (and ORT) computes. A_c costs O(1) per candidate (plus O(B) per chunk width) from prefix sums:
 * <ul>
 * <li>with SP = sum P (smoothing keeps the mass) and SQ = sum Q, KL = (sum p' log p' - sum p' log q') / SP
 * - log SP + log SQ, p', q' the smoothed values;</li>
 * <li>sum p' log q' per chunk: q' is constant on a chunk, so it is (chunk mass of p') * log q'_k, with
 * log q'_k = log(v - eq) = log v - eq / v - r, 0 <= r <= eq^2 / (2 (1 - eq)) (v >= 1 is Q's integer value, eq
 * Q's smoothing shift): log v and 1/v depend only on the chunk's window [s, s + m), so they are tabulated once per
 * window and chunk width m (one log per window, about 16 * B in all, instead of one per chunk and candidate);
 * the first and last chunk (outliers, remainder) are done directly;</li>
 * <li>sum p' log p' over P's non-empty bins, p' = p - e with e = eps * zeros / nonzeros, by Taylor's series of
 * f(x) = x log x: f(p - e) = f(p) - e (log p + 1) + e^2 / (2p) + R with 0 <= R <= e^3 / (6 p^2 (1 - e/p)), using
 * prefix sums of p log p, log p and 1/p; P's first and last bins (which carry ORT's outliers) are done directly.</li>
 * </ul>
 * The bound (u = 2^-24, first-order rounding analysis of the emulation, doubled for second-order terms): smoothing
 * in float32 perturbs each p', q' by at most 3u relative; a NumPy pairwise sum of len terms has a dependency chain of
 * at most g = 26 + 2 ceil(log2(len / 64)) additions (25 inside a 128-element block, one per halving), so the sums of
 * P and Q are off by at most σ = (g + 5)u relative; the division adds u, the term's rounding to float u, the final
 * pairwise sum of the terms g u * sum|term|. A common relative error s of the P sum moves KL by -s (KL + 1), one of
 * the Q sum by +s_q; per-element errors move it by at most 5u (L1 + 1). Summed:
 * |KL_float32 - KL| <= σ (KL + 2) + (g + 5) u L1 + 8u, with L1 = sum x |log(x/y)| (x, y the normalised smoothed
 * P, Q). L1 <= KL + sqrt(2 KL), because x log(x/y) >= x - y term by term, so |x log(x/y)| <= (x log(x/y) - x + y)
 * + |x - y|, and sum |x - y| <= sqrt(2 KL) (Pinsker); also L1 <= H(P) + H(P, Q) as x, y <= 1; the smaller is used.
 * δ is twice that plus the estimate's own truncation terms / SP and 1e-10 (1 + H + Hx + log SP) for its double
 * rounding (prefix-sum differences are off by ~1e-13 relative). Candidates where a count exceeds the series'
 * validity (e >= 1/2) or the estimate is not finite get δ = +Inf (never pruned).
 *
 * <p>A candidate whose P or Q has no non-empty bin is marked {@link #infinite}: the emulation returns +Inf for it.
 * Candidates of fewer than two bins are not estimated (A = δ = +Inf).
 */
final class OrtKlEstimate {
    private static final double U = 0x1p-24;
    private static final double EPS = KlOnnxRuntime.EPS;

    final double[] estimate;
    final double[] bound;
    final boolean[] infinite;

    private final long[] hist;
    private final long[] cnt;
    private final int[] nz;
    private final double[] plogp;
    private final double[] logp;
    private final double[] inv;
    private final int nq;
    private final long total;
    private final double fEps = EPS * Math.log(EPS);
    private final double logEps = Math.log(EPS);
    private static final double[] SMALL_LOG = new double[4096];

    static {
        for (int v = 1; v < SMALL_LOG.length; v++) {
            SMALL_LOG[v] = Math.log(v);
        }
    }

    private final double[] wLog;
    private final double[] nLog;
    private final double[] wInv;
    private final double[] nInv;
    private final double[] wEmpty;
    private final long[] nEmpty;
    private final int[] empty;
    private final long[] values;

    /** Estimates the candidates i = half .. half + candidates - 1 of a search with zero bin {@code zero}. */
    OrtKlEstimate(long[] hist, long[] prefix, int nq, int zero, int half, int candidates) {
        int n = hist.length;
        this.hist = hist;
        this.cnt = prefix;
        this.nq = nq;
        this.total = prefix[n];
        nz = new int[n + 1];
        plogp = new double[n + 1];
        logp = new double[n + 1];
        inv = new double[n + 1];
        for (int j = 0; j < n; j++) {
            long h = hist[j];
            double lg = h > 0 ? log(h) : 0;
            nz[j + 1] = nz[j] + (h != 0 ? 1 : 0);
            plogp[j + 1] = plogp[j] + h * lg;
            logp[j + 1] = logp[j] + lg;
            inv[j + 1] = inv[j] + (h > 0 ? 1.0 / h : 0);
        }
        estimate = new double[candidates];
        bound = new double[candidates];
        infinite = new boolean[candidates];
        wLog = new double[n + 1];
        nLog = new double[n + 1];
        wInv = new double[n + 1];
        nInv = new double[n + 1];
        wEmpty = new double[n + 1];
        nEmpty = new long[n + 1];
        empty = new int[n + 1];
        values = new long[n + 1];
        int tableM = -1;
        for (int c = candidates - 1; c >= 0; c--) { // widest first: m falls, and with it the window table's validity
            int i = half + c;
            int start = zero - i;
            int end = Math.min(zero + i + 1, n);
            int m = (end - start) / nq;
            if (m != tableM && end - start >= 2) {
                fillWindows(m, start);
                tableM = m;
            }
            evaluate(c, start, end);
        }
    }

    /**
     * For every window [s, s + m) with s >= from: Q's value v = trunc(sum / nonzero) for a chunk without outliers,
     * and sums along the chain s, s - m, s - 2m, ... (>= from) of the per-window terms, so that the interior chunks
     * start + k*m, k = 1 .. nq-2, of any candidate are one difference per quantity: (W + eps*m) log v, N log v,
     * (W + eps*m) / v, N / v over windows with v > 0 (W = window sum, N = its non-empty bins), and W + eps*m, N, the
     * count over windows with v = 0, and v.
     */
    private void fillWindows(int m, int from) {
        for (int s = from; s + m <= hist.length; s++) {
            long sum = cnt[s + m] - cnt[s];
            int nonzero = nz[s + m] - nz[s];
            long value = nonzero != 0 ? (long) ((double) sum / (double) nonzero) : 0;
            double wm = sum + EPS * m;
            int p = s - m;
            boolean chain = p >= from;
            double logValue = value != 0 ? log(value) : 0;
            double invValue = value != 0 ? 1.0 / value : 0;
            wLog[s] = wm * logValue + (chain ? wLog[p] : 0);
            nLog[s] = nonzero * logValue + (chain ? nLog[p] : 0);
            wInv[s] = wm * invValue + (chain ? wInv[p] : 0);
            nInv[s] = nonzero * invValue + (chain ? nInv[p] : 0);
            wEmpty[s] = (value == 0 ? wm : 0) + (chain ? wEmpty[p] : 0);
            nEmpty[s] = (value == 0 ? nonzero : 0) + (chain ? nEmpty[p] : 0);
            empty[s] = (value == 0 ? 1 : 0) + (chain ? empty[p] : 0);
            values[s] = value + (chain ? values[p] : 0);
        }
    }

    /** log of a positive integer: a table below 4096, else {@link FastLog}. */
    private static double log(long v) {
        return v < SMALL_LOG.length ? SMALL_LOG[(int) v] : FastLog.log(v);
    }

    private static double xlogx(double x) {
        return x * Math.log(x);
    }

    /** Fills estimate[c], bound[c], infinite[c] for the bins [start, end). */
    private void evaluate(int c, int start, int end) {
        int len = end - start;
        if (len < 2) { // first and last bin coincide: not estimated, never pruned
            estimate[c] = Double.POSITIVE_INFINITY;
            bound[c] = Double.POSITIVE_INFINITY;
            return;
        }
        long left = cnt[start];
        long right = total - cnt[end];
        long first = hist[start] + left;
        long last = hist[end - 1] + right;
        int nnzInterior = nz[end - 1] - nz[start + 1];
        int nnzP = nnzInterior + (first != 0 ? 1 : 0) + (last != 0 ? 1 : 0);
        int zerosP = len - nnzP;
        if (nnzP == 0) { // the emulation's smoothing rejects an all-zero P: +Inf
            infinite[c] = true;
            estimate[c] = Double.POSITIVE_INFINITY;
            return;
        }
        double e = EPS * (double) zerosP / (double) nnzP;
        // sum p' log p'
        double interior = (plogp[end - 1] - plogp[start + 1]) - e * ((logp[end - 1] - logp[start + 1]) + nnzInterior)
                + 0.5 * e * e * (inv[end - 1] - inv[start + 1]);
        double spp = zerosP * fEps + interior + (first != 0 ? xlogx(first - e) : 0) + (last != 0 ? xlogx(last - e) : 0);
        double series = nnzP * e * e * e / (6 * (1 - e));
        // chunks of Q: the first and last (outliers, remainder) directly, the others from the window tables
        int m = len / nq;
        int emptyChunks = 0;
        long sq = 0;
        double massLog = 0; // sum over chunks with Q > 0 of mass * log(value)
        double massInv = 0; // ... of mass / value, for log(value - eq) = log(value) - eq / value - r
        double massEmpty = 0; // p' mass where q' = eps
        double massAll = 0;
        if (nq > 2) { // interior chunks from the window chains: mass = W + eps*m - (e + eps) N
            int lo = start;
            int hi = start + (nq - 2) * m;
            double shift = e + EPS;
            massLog = (wLog[hi] - wLog[lo]) - shift * (nLog[hi] - nLog[lo]);
            massInv = (wInv[hi] - wInv[lo]) - shift * (nInv[hi] - nInv[lo]);
            massEmpty = (wEmpty[hi] - wEmpty[lo]) - shift * (nEmpty[hi] - nEmpty[lo]);
            emptyChunks = empty[hi] - empty[lo];
            sq = values[hi] - values[lo];
            massAll = (cnt[hi + m] - cnt[lo + m]) + EPS * m * (nq - 2) - shift * (nz[hi + m] - nz[lo + m]);
        }
        for (int k = 0; k < nq; k += Math.max(1, nq - 1)) { // the first and the last chunk
            int a = start + k * m;
            int b = a + m;
            long sum = cnt[b] - cnt[a];
            long pMass = sum;
            int nonzero = nz[b] - nz[a];
            if (k == 0) {
                pMass += left;
                nonzero += hist[start] == 0 && left > 0 ? 1 : 0;
            }
            if (k == nq - 1) {
                sum += cnt[end] - cnt[b];
                if (b == end) {
                    pMass += right;
                    nonzero += hist[end - 1] == 0 && right > 0 ? 1 : 0;
                }
            }
            long value = nonzero != 0 ? (long) ((double) sum / (double) nonzero) : 0;
            double mass = pMass - e * nonzero + EPS * (m - nonzero);
            massAll += mass;
            if (value != 0) {
                sq += value;
                massLog += mass * log(value);
                massInv += mass / value;
            } else {
                emptyChunks++;
                massEmpty += mass;
            }
        }
        int remStart = start + nq * m;
        int rem = end - remStart;
        int zerosQ = rem + emptyChunks * m;
        int nnzQ = len - zerosQ;
        if (nnzQ == 0) {
            infinite[c] = true;
            estimate[c] = Double.POSITIVE_INFINITY;
            return;
        }
        double eq = EPS * (double) zerosQ / (double) nnzQ;
        if (rem > 0) {
            long remP = cnt[end] - cnt[remStart] + right;
            int remNonzero = nz[end] - nz[remStart] + (hist[end - 1] == 0 && right > 0 ? 1 : 0);
            double mass = remP - e * remNonzero + EPS * (rem - remNonzero);
            massEmpty += mass;
            massAll += mass;
        }
        // log(v - eq) = log v - eq / v - r with 0 <= r <= (eq/v)^2 / (2 (1 - eq/v)) <= eq^2 / (2 (1 - eq)), v >= 1
        double spq = massLog - eq * massInv + massEmpty * logEps;
        series += massAll * eq * eq / (2 * (1 - eq));
        double sp = total;
        double sumQ = (double) sq * m;
        double logSp = Math.log(sp);
        double logSq = Math.log(sumQ);
        double kl = (spp - spq) / sp - logSp + logSq;
        double entropies = Math.abs(logSp - spp / sp) + Math.abs(logSq - spq / sp);
        double slop = series / sp + 1e-10 * (1 + entropies + logSp);
        double klUp = Math.max(kl, 0) + slop;
        double l1 = Math.min(entropies, klUp + Math.sqrt(2 * klUp));
        int chain = 26 + 2 * (32 - Integer.numberOfLeadingZeros(Math.max(len / 64, 1)));
        double sigma = (chain + 5) * U;
        double d = 2 * (sigma * (klUp + 2) + (chain + 5) * U * l1 + 8 * U) + slop;
        boolean valid = e < 0.5 && eq < 0.5 && Double.isFinite(kl) && Double.isFinite(d);
        estimate[c] = kl;
        bound[c] = valid ? d : Double.POSITIVE_INFINITY;
    }
}
