package org.quantlens.app.histogram;

import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.SearchResult;

/**
 * The curve a threshold search minimised, for the small chart under the histogram: the divergence (KL methods) or
 * error (mse) at each candidate threshold, and the chosen one.
 *
 * @param method     the search
 * @param thresholds candidate thresholds (the upper clip value of each candidate), in search order
 * @param values     the divergence or error at each (+Inf where undefined)
 * @param best       index of the chosen candidate
 * @param lo         the chosen range's lower end
 * @param hi         the chosen range's upper end
 */
public record SearchCurve(RangeMethod method, double[] thresholds, double[] values, int best, double lo, double hi) {
    /** The curve of {@code r}, or null when the method did not search (closed form, degenerate input). */
    public static SearchCurve of(RangeMethod method, SearchResult r) {
        if (r.bestIndex() < 0 || r.thresholds().length == 0) {
            return null;
        }
        return new SearchCurve(method, r.thresholds(), r.values(), r.bestIndex(), r.range().lo(), r.range().hi());
    }

    /** The threshold at the minimum. */
    public double bestThreshold() {
        return thresholds[best];
    }

    /** True for the KL searches (the other curve is mse's). */
    public boolean isKl() {
        return method == RangeMethod.KL_TENSORRT || method == RangeMethod.KL_ONNXRUNTIME
                || method == RangeMethod.KL_NCNN;
    }
}
