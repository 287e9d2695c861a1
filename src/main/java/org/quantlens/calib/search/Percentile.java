package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.NumpyCompat;

/**
 * ONNX Runtime's percentile calibrator ({@code HistogramCollector.compute_percentile}).
 *
 * <p>cdf[j] = running double sum of hist[j] / total. <b>Symmetric</b> (ORT's default, meant for a histogram of
 * |x|): idx = first j with cdf[j] >= p/100 and the range is (-edges[idx], edges[idx]) (the <i>left</i> edge of the
 * bin where the cdf crosses). <b>Asymmetric</b> (a signed histogram): cut = (100 - p)/200 from each side,
 * lo = edges[first j with cdf[j] >= cut], hi = edges[first j with cdf[j] >= 1 - cut]. Either way lo is raised to
 * the observed min and hi lowered to the observed max. With ORT's histogram this equals its
 * {@code percentile_default} (p = 99.999, symmetric) bit for bit.
 *
 * <p>Degenerate: an empty histogram gives the observed range or [0, 0] with a warning.
 */
public final class Percentile {
    /** ORT's default percentile. */
    public static final double DEFAULT_PERCENTILE = 99.999;

    private Percentile() {
    }

    /** The range at percentile {@code p} in [0, 100]. */
    public static SearchResult search(Histogram h, double p, boolean symmetric) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        List<String> warnings = new ArrayList<>();
        if (h.isEmpty()) {
            warnings.add("empty histogram: range is the observed [min, max] or [0, 0]");
            return SearchResult.of(Searches.observedOrZero(h), warnings);
        }
        int n = h.bins();
        long total = h.total();
        double[] cdf = new double[n];
        double run = 0;
        for (int j = 0; j < n; j++) {
            run += (double) h.count(j) / (double) total;
            cdf[j] = run;
        }
        double lo;
        double hi;
        if (symmetric) {
            double t = h.edge(NumpyCompat.searchSortedLeft(cdf, n, p / 100.0));
            lo = -t;
            hi = t;
        } else {
            double cut = (100.0 - p) / 200.0;
            hi = h.edge(NumpyCompat.searchSortedLeft(cdf, n, 1.0 - cut));
            lo = h.edge(NumpyCompat.searchSortedLeft(cdf, n, cut));
        }
        if (lo < h.min()) {
            lo = h.min();
        }
        if (hi > h.max()) {
            hi = h.max();
        }
        if (lo > hi) {
            warnings.add("clamping to the observed range crossed the bounds; using [min, max]");
            return SearchResult.of(Searches.observedOrZero(h), warnings);
        }
        return SearchResult.of(new Range(lo, hi), warnings);
    }
}
