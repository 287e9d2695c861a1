package org.quantlens.calib.search;

import org.quantlens.exec.ExecContext;

/**
 * The per-level cross terms of {@link KlTensorRt}, tabulated per window so that candidates share them.
 *
 * <p>Level k of candidate i covers the bins [a, b) with a = ceil(k i / L), b = ceil((k+1) i / L), and contributes
 * S log(S / N) = S (log S - log N) (S the window's count, N its non-empty bins), which depends only on the window.
 * Every window of a candidate i has width b - a = floor(i / L) or floor(i / L) + 1, so the candidates with the same
 * w = floor(i / L) (L consecutive ones) share one table of 2 entries per start a: entry 2a + (b - a - w). One log per
 * table entry (about 2 * B * B / L in all, ~35k for B = 2048, L = 128) replaces one per level and candidate
 * (~246k). Each entry is computed by the same expression as the direct evaluation and the candidate adds them in
 * the same order, so the divergences are bit-identical to {@link KlTensorRt}'s direct per-level loop.
 */
final class KlTensorRtLevels {
    private final int levels;
    /** Table offset of group w - firstGroup, or -1 when the group is evaluated directly (too few candidates). */
    private final int[] offsets;
    private final int firstGroup;
    private final double[] terms;

    /** Tables for candidates i = firstCandidate .. n (n = bins), levels L = {@code levels}. */
    KlTensorRtLevels(long[] sum, int[] nonzero, double[] logCount, int levels, int firstCandidate, ExecContext ctx) {
        int n = sum.length - 1;
        this.levels = levels;
        firstGroup = firstCandidate / levels;
        int lastGroup = n / levels;
        offsets = new int[lastGroup - firstGroup + 1];
        int size = 0;
        for (int w = firstGroup; w <= lastGroup; w++) {
            int count = Math.min(n, (w + 1) * levels - 1) - Math.max(firstCandidate, w * levels) + 1;
            int entries = 2 * groupEnd(w, n);
            boolean tabulate = (long) count * levels > entries;
            offsets[w - firstGroup] = tabulate ? size : -1;
            size += tabulate ? entries : 0;
        }
        terms = new double[size];
        ctx.parallelFor(offsets.length, 4L * levels * levels, (from, to) -> {
            for (int g = from; g < to; g++) {
                if (offsets[g] >= 0) {
                    fill(sum, nonzero, logCount, firstGroup + g, offsets[g], groupEnd(firstGroup + g, n));
                }
            }
        });
    }

    /** The largest candidate of group w, which bounds the window starts a < i. */
    private int groupEnd(int w, int n) {
        return Math.min(n, (w + 1) * levels - 1);
    }

    private void fill(long[] sum, int[] nonzero, double[] logCount, int w, int offset, int maxI) {
        int n = sum.length - 1;
        for (int a = 0; a < maxI; a++) {
            for (int extra = 0; extra <= 1; extra++) {
                int b = a + w + extra;
                terms[offset + 2 * a + extra] = b <= n ? levelTerm(sum, nonzero, logCount, a, b) : 0;
            }
        }
    }

    /** S (log S - log N) for the bins [a, b), 0 for an empty window; the expression of the direct loop. */
    static double levelTerm(long[] sum, int[] nonzero, double[] logCount, int a, int b) {
        long s = sum[b] - sum[a];
        return s > 0 ? s * (FastLog.logCount(s) - logCount[nonzero[b] - nonzero[a]]) : 0;
    }

    /** sum over the L levels of candidate i of their cross terms, in level order. */
    double crossTerms(long[] sum, int[] nonzero, double[] logCount, int i) {
        int w = i / levels;
        int offset = offsets[w - firstGroup];
        int shift = Integer.bitCount(levels) == 1 ? Integer.numberOfTrailingZeros(levels) : -1;
        double pLogQ = 0;
        int a = 0;
        if (offset < 0) {
            for (int k = 0; k < levels; k++) {
                int b = levelEnd(k, i, shift);
                pLogQ += levelTerm(sum, nonzero, logCount, a, b);
                a = b;
            }
            return pLogQ;
        }
        int base = offset - w; // entry offset + 2a + (b - a - w) = base + a + b
        for (int k = 0; k < levels; k++) {
            int b = levelEnd(k, i, shift);
            pLogQ += terms[base + a + b];
            a = b;
        }
        return pLogQ;
    }

    /**
     * {@link #crossTerms} of the four candidates i .. i+3 into out[0..4): four independent sums advanced together
     * (each still in level order, so bit-identical), which hides the latency of the floating-point additions.
     */
    void crossTerms4(long[] sum, int[] nonzero, double[] logCount, int i, double[] out) {
        int b0 = base(i);
        int b1 = base(i + 1);
        int b2 = base(i + 2);
        int b3 = base(i + 3);
        if (b0 == Integer.MIN_VALUE || b1 == Integer.MIN_VALUE || b2 == Integer.MIN_VALUE || b3 == Integer.MIN_VALUE) {
            for (int j = 0; j < 4; j++) {
                out[j] = crossTerms(sum, nonzero, logCount, i + j);
            }
            return;
        }
        int shift = Integer.bitCount(levels) == 1 ? Integer.numberOfTrailingZeros(levels) : -1;
        if (shift < 0) {
            for (int j = 0; j < 4; j++) {
                out[j] = crossTerms(sum, nonzero, logCount, i + j);
            }
            return;
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int a0 = 0;
        int a1 = 0;
        int a2 = 0;
        int a3 = 0;
        long num = (long) i + levels - 1; // (k+1) * i + levels - 1 for k = 0; b = num >>> shift = ceil((k+1) i / L)
        for (int k = 0; k < levels; k++) {
            int e0 = (int) (num >>> shift);
            int e1 = (int) ((num + (k + 1)) >>> shift);
            int e2 = (int) ((num + 2 * (k + 1)) >>> shift);
            int e3 = (int) ((num + 3 * (k + 1)) >>> shift);
            s0 += terms[b0 + a0 + e0];
            s1 += terms[b1 + a1 + e1];
            s2 += terms[b2 + a2 + e2];
            s3 += terms[b3 + a3 + e3];
            a0 = e0;
            a1 = e1;
            a2 = e2;
            a3 = e3;
            num += i;
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }

    /** offset - w of candidate i's group (entry base + a + b), or Integer.MIN_VALUE when not tabulated. */
    private int base(int i) {
        int w = i / levels;
        int offset = offsets[w - firstGroup];
        return offset >= 0 ? offset - w : Integer.MIN_VALUE;
    }

    /** b = ceil((k+1) * i / levels), by a shift when levels is a power of two. */
    private int levelEnd(int k, int i, int shift) {
        long num = (long) (k + 1) * i + levels - 1;
        return (int) (shift >= 0 ? num >>> shift : num / levels);
    }
}
