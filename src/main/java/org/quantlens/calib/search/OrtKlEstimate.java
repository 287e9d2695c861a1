package org.quantlens.calib.search;

/**
 * A cheap estimate of every {@link KlOnnxRuntime} candidate's divergence with a rigorous error bound, so that the
 * search can run ONNX Runtime's bit-exact float32 emulation only on the candidates that can still be the minimum.
 *
 * <p>For candidate c, {@link #estimate} holds A_c, the divergence of ORT's smoothed P and Q evaluated in real
 * (here: double) arithmetic, and {@link #bound} holds δ_c with |KL_float32(c) - A_c| <= δ_c, KL_float32 being what
 * the emulation (and ORT) computes. A_c costs O(Nq) from prefix sums of the histogram:
 * <ul>
 * <li>with SP = sum P (smoothing keeps the mass) and SQ = sum Q, KL = (sum p' log p' - sum p' log q') / SP
 * - log SP + log SQ, p', q' the smoothed values;</li>
 * <li>sum p' log q' per chunk: q' is constant on a chunk, so it is (chunk mass of p') * log q'_k;</li>
 * <li>sum p' log p' over P's non-empty bins, p' = p - e with e = eps * zeros / nonzeros, by Taylor's series of
 * f(x) = x log x: f(p - e) = f(p) - e (log p + 1) + e^2 / (2p) + R with 0 <= R <= e^3 / (6 p^2 (1 - e/p)), using
 * prefix sums of p log p, log p and 1/p; P's first and last bins (which carry ORT's outliers) are done directly.</li>
 * </ul>
 * The bound (u = 2^-24, first-order rounding analysis of the emulation, doubled for second-order terms and the
 * estimate's own double rounding): smoothing in float32 perturbs each p', q' by at most 3u relative, NumPy's pairwise
 * sums of at most a few thousand positive terms by at most ~36u relative (a dependency chain of at most 31 additions),
 * the division by u, the term's rounding to float by u, and the final pairwise sum of the terms by 31u * sum|term|.
 * Summed: |KL_float32 - KL| <= 72u * L1 + 80u with L1 = sum x |log(x/y)| <= H(P) + H(P, Q) (x, y <= 1), so
 * δ = u * (144 (H + Hx) + 160) + R/SP + 1e-10 (1 + H + Hx + log SP). Candidates where a count exceeds the series'
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
            double lg = h > 0 ? FastLog.log(h) : 0;
            nz[j + 1] = nz[j] + (h != 0 ? 1 : 0);
            plogp[j + 1] = plogp[j] + h * lg;
            logp[j + 1] = logp[j] + lg;
            inv[j + 1] = inv[j] + (h > 0 ? 1.0 / h : 0);
        }
        estimate = new double[candidates];
        bound = new double[candidates];
        infinite = new boolean[candidates];
        long[] v = new long[nq];
        double[] mass = new double[nq];
        for (int c = 0; c < candidates; c++) {
            int i = half + c;
            int start = zero - i;
            int end = Math.min(zero + i + 1, n);
            evaluate(c, start, end, v, mass);
        }
    }

    private static double xlogx(double x) {
        return x * Math.log(x);
    }

    /** Fills estimate[c], bound[c], infinite[c] for the bins [start, end). */
    private void evaluate(int c, int start, int end, long[] v, double[] mass) {
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
        // chunks of Q
        int m = len / nq;
        int emptyChunks = 0;
        long sq = 0;
        for (int k = 0; k < nq; k++) {
            int a = start + k * m;
            int b = a + m;
            long chunk = cnt[b] - cnt[a];
            long sum = chunk;
            long pMass = chunk;
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
            v[k] = value;
            emptyChunks += value == 0 ? 1 : 0;
            sq += value;
            mass[k] = pMass - e * nonzero + EPS * (m - nonzero);
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
        double spq = 0;
        for (int k = 0; k < nq; k++) {
            spq += mass[k] * (v[k] != 0 ? FastLog.log(v[k] - eq) : logEps);
        }
        if (rem > 0) {
            long remP = cnt[end] - cnt[remStart] + right;
            int remNonzero = nz[end] - nz[remStart] + (hist[end - 1] == 0 && right > 0 ? 1 : 0);
            spq += (remP - e * remNonzero + EPS * (rem - remNonzero)) * logEps;
        }
        double sp = total;
        double sumQ = (double) sq * m;
        double logSp = Math.log(sp);
        double logSq = Math.log(sumQ);
        double kl = (spp - spq) / sp - logSp + logSq;
        double h = Math.abs(logSp - spp / sp) + Math.abs(logSq - spq / sp);
        double d = U * (144 * h + 160) + series / sp + 1e-10 * (1 + h + logSp);
        boolean valid = e < 0.5 && eq < 0.5 && Double.isFinite(kl) && Double.isFinite(d);
        estimate[c] = kl;
        bound[c] = valid ? d : Double.POSITIVE_INFINITY;
    }
}
