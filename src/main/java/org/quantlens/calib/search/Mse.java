package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;

/**
 * PyTorch HistogramObserver's L2 range search ({@code _non_linear_param_search} and
 * {@code _compute_quantization_error}, after caffe2's NormMinimization::NonlinearQuantizationParamsSearch).
 *
 * <p>Greedy shrinking: with cSum the cumulative histogram (float32, double accumulation as PyTorch's CPU cumsum),
 * alpha = 0, beta = 1 and stepsize 1e-5, each step moves alpha or beta by 1e-5, finds l = first bin from start with
 * cSum >= alpha*total and r = last bin from end with cSum <= beta*total, and moves whichever side gains more bins
 * (the start side only if strictly more). When the bins change, the L2 error of quantizing with [start, end] is
 * computed; the search stops as soon as it grows. Result: min = min_val + w*start, max = min_val + w*(end+1).
 *
 * <p>Error of [s, e] with dst_nbins destination bins of width d = w*(e - s + 1)/dst_nbins: every source bin is a
 * uniform density count/w; its mass in the destination bin of its begin contributes density*(end^3 - begin^3)/3
 * about that bin's centre, full destination bins in between (dst_end - dst_begin - 1) * density * d^3/12, and the
 * part in the destination bin of its end likewise; element-wise in float32 as PyTorch (the final sum in double).
 *
 * <p>The curve in the result lists every evaluated candidate: its upper clip value and its error.
 */
public final class Mse {
    private static final double STEPSIZE = 1e-5;

    private Mse() {
    }

    /** The search on one of our histograms (counts as float32 over [edge(0), edge(bins)]) for a bits-bit target. */
    public static SearchResult search(Histogram h, int bits) {
        Histogram s = h;
        float[] counts = new float[s.bins()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = s.count(i);
        }
        List<String> warnings = new ArrayList<>();
        if (h.form() == Histogram.Form.ABSOLUTE) {
            warnings.add("searching a histogram of |x|: the result is a range of |x|");
        }
        if (h.isEmpty()) {
            warnings.add("empty histogram: range is the observed range or [0, 0]");
            return SearchResult.of(Searches.observedOrZero(h), warnings);
        }
        return search(counts, (float) s.edge(0), (float) s.edge(s.bins()), 1 << bits, warnings);
    }

    /** The search on a PyTorch-style float32 histogram over [minVal, maxVal]. */
    static SearchResult search(float[] hist, float minVal, float maxVal, int dstBins, List<String> notes) {
        List<String> warnings = new ArrayList<>(notes);
        int bins = hist.length;
        float binWidth = (maxVal - minVal) / bins;
        double totalD = 0;
        float[] cSum = new float[bins];
        for (int i = 0; i < bins; i++) {
            totalD += hist[i];
            cSum[i] = (float) totalD;
        }
        double total = (float) totalD;
        if (total == 0 || minVal == maxVal) {
            warnings.add(total == 0 ? "empty histogram" : "constant data: min == max");
            return SearchResult.of(new Range(minVal, maxVal), warnings);
        }
        double alpha = 0;
        double beta = 1;
        int start = 0;
        int end = bins - 1;
        double normMin = Double.POSITIVE_INFINITY;
        List<double[]> curve = new ArrayList<>();
        while (alpha < beta) {
            double nextAlpha = alpha + STEPSIZE;
            double nextBeta = beta - STEPSIZE;
            int l = start;
            int r = end;
            while (l < end && cSum[l] < (float) (nextAlpha * total)) {
                l++;
            }
            while (r > start && cSum[r] > (float) (nextBeta * total)) {
                r--;
            }
            int nextStart = start;
            int nextEnd = end;
            if (l - start > end - r) {
                nextStart = l;
                alpha = nextAlpha;
            } else {
                nextEnd = r;
                beta = nextBeta;
            }
            if (nextStart == start && nextEnd == end) {
                continue;
            }
            double norm = quantizationError(hist, minVal, maxVal, nextStart, nextEnd, dstBins);
            curve.add(new double[] {minVal + binWidth * (float) (nextEnd + 1), norm});
            if (norm > normMin) {
                break;
            }
            normMin = norm;
            start = nextStart;
            end = nextEnd;
        }
        float lo = minVal + binWidth * start;
        float hi = minVal + binWidth * (end + 1);
        double[] th = new double[curve.size()];
        double[] val = new double[curve.size()];
        int best = -1;
        for (int i = 0; i < th.length; i++) {
            th[i] = curve.get(i)[0];
            val[i] = curve.get(i)[1];
            if (val[i] == normMin) {
                best = i;
            }
        }
        return new SearchResult(new Range(Math.min(lo, hi), Math.max(lo, hi)), th, val, best, warnings);
    }

    /** PyTorch's _compute_quantization_error for bins [s, e] (float32 element-wise). */
    static double quantizationError(float[] hist, float minVal, float maxVal, int s, int e, int dstBins) {
        int bins = hist.length;
        double binWidthD = ((double) maxVal - (double) minVal) / bins;
        double dstWidthD = binWidthD * (e - s + 1) / dstBins;
        if (dstWidthD == 0.0) {
            return 0.0;
        }
        float binWidth = (float) binWidthD;
        float dstWidth = (float) dstWidthD;
        float halfDst = (float) (dstWidthD / 2);
        float fullBinNorm = (halfDst * halfDst * halfDst - (-halfDst) * (-halfDst) * (-halfDst)) / 3f;
        double sum = 0;
        for (int i = 0; i < bins; i++) {
            float density = hist[i] / binWidth;
            float begin = (i - s) * binWidth;
            float endv = begin + binWidth;
            float dstBegin = clamp((float) Math.floor(begin / dstWidth), dstBins);
            float dstEnd = clamp((float) Math.floor(endv / dstWidth), dstBins);
            float beginCenter = (dstBegin + 0.5f) * dstWidth;
            float db = begin - beginCenter;
            float norm = density * ((halfDst * halfDst * halfDst - db * db * db) / 3f);
            norm += (dstEnd - dstBegin - 1) * (density * fullBinNorm);
            float endCenter = dstEnd * dstWidth + dstWidth / 2;
            float de = endv - endCenter;
            norm += density * ((de * de * de - (-halfDst) * (-halfDst) * (-halfDst)) / 3f);
            sum += norm;
        }
        return sum;
    }

    private static float clamp(float v, int dstBins) {
        return Math.max(0f, Math.min(dstBins - 1, v));
    }
}
