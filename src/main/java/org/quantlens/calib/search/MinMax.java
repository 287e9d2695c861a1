package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;

/**
 * The observed range: lo = min, hi = max over all finite values (ONNX Runtime MinMaxCalibrater without moving
 * average, PyTorch MinMaxObserver's min_val/max_val). Symmetric: (-t, t) with t = max(|min|, |max|) (ORT's
 * {@code symmetric=True}). NaN and +-Inf are ignored (they are counted apart by the histogram). No finite value:
 * [0, 0] with a warning.
 */
public final class MinMax {
    private MinMax() {
    }

    /** Range from a histogram's exact observed min/max. */
    public static SearchResult of(Histogram h, boolean symmetric) {
        return of(h.min(), h.max(), symmetric);
    }

    /** Range from min/max statistics (NaN means "no value seen"). */
    public static SearchResult of(double min, double max, boolean symmetric) {
        List<String> warnings = new ArrayList<>();
        if (Double.isNaN(min) || Double.isNaN(max) || !(min <= max)) {
            warnings.add("no finite value observed: range [0, 0]");
            return SearchResult.of(new Range(0, 0), warnings);
        }
        if (min == max) {
            warnings.add("constant data: min == max == " + min);
        }
        Range r = new Range(min, max);
        return SearchResult.of(symmetric ? r.symmetric() : r, warnings);
    }
}
