package org.quantlens.app.layers;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.app.histogram.TensorHistogram;

/**
 * What was observed of one tensor: its range, histogram and warnings.
 *
 * @param min       smallest finite value (NaN when nothing was observed)
 * @param max       largest finite value
 * @param histogram the distribution (null when nothing was observed)
 * @param warnings  short phrases for the table, e.g. "degenerate range"
 */
public record TensorStats(double min, double max, TensorHistogram histogram, List<String> warnings) {
    /** Heavy outliers: the full range is this many times wider than the range holding 99.9% of the values. */
    static final double OUTLIER_RATIO = 10.0;

    public TensorStats {
        warnings = List.copyOf(warnings);
    }

    /** Stats of a histogram with the warnings it implies, plus {@code extra} ones found elsewhere. */
    public static TensorStats of(TensorHistogram h, List<String> extra) {
        List<String> w = new ArrayList<>(extra);
        if (h.total() == 0) {
            w.add("no finite values");
            return new TensorStats(Double.NaN, Double.NaN, h, w);
        }
        if (h.min() == 0 && h.max() == 0) {
            w.add("all zero");
        } else if (h.max() == h.min()) {
            w.add("degenerate range");
        } else if (hasHeavyOutliers(h)) {
            w.add("heavy outliers");
        }
        return new TensorStats(h.min(), h.max(), h, w);
    }

    /**
     * True when the central range holding 99.9% of the values (0.05% cut from each end) is narrower than
     * 1/{@value #OUTLIER_RATIO} of [min, max]: a min/max clip would then waste most of the integer grid.
     */
    static boolean hasHeavyOutliers(TensorHistogram h) {
        double total = h.total();
        double cut = total * 0.0005;
        double[] c = h.counts();
        int lo = 0;
        double acc = 0;
        while (lo < c.length - 1 && acc + c[lo] <= cut) {
            acc += c[lo++];
        }
        int hi = c.length - 1;
        acc = 0;
        while (hi > lo && acc + c[hi] <= cut) {
            acc += c[hi--];
        }
        double central = (hi - lo + 1) * h.binWidth();
        return (h.max() - h.min()) > OUTLIER_RATIO * central;
    }

    public String rangeText() {
        return Double.isNaN(min) ? "" : Format.number(min) + " … " + Format.number(max);
    }
}
