package org.quantlens.app.histogram;

import org.quantlens.calib.Histogram;
import org.quantlens.calib.metrics.HistogramErrorModel;

/**
 * The app's read-only picture of one tensor's histogram: the counts of a core {@link Histogram} (the streaming
 * histogram {@link org.quantlens.calib.CalibrationRun} keeps per activation, or one of a weight's values) as
 * doubles over equal bins {@code [firstEdge + i binWidth, firstEdge + (i+1) binWidth)}, the exact zeros (ReLU
 * outputs, which the error model treats as a point mass) and the exact observed extremes. An empty histogram is
 * shown over [-0.5, 0.5] with no counts.
 *
 * @param counts    values per bin (not copied: treat as read-only)
 * @param firstEdge left edge of bin 0
 * @param binWidth  width of every bin, positive
 * @param zeroCount how many of the values are exactly 0
 * @param min       smallest finite value seen (NaN when none)
 * @param max       largest finite value seen (NaN when none)
 */
public record TensorHistogram(double[] counts, double firstEdge, double binWidth, double zeroCount, double min,
                              double max) {
    /** Bins of weight histograms: the same resolution as the calibration's activation histograms. */
    public static final int DEFAULT_BINS = Histogram.DEFAULT_BINS;

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Left edge of bin {@code i}; {@code edge(bins())} is the right end. */
    public double edge(int i) {
        return firstEdge + i * binWidth;
    }

    /** Total number of values. */
    public double total() {
        double s = 0;
        for (double c : counts) {
            s += c;
        }
        return s;
    }

    /** The error model of this distribution (O(bins) to build; cache it while a tensor stays selected). */
    public HistogramErrorModel errorModel() {
        double zeros = firstEdge <= 0 && 0 <= edge(bins()) ? zeroCount : 0;
        return new HistogramErrorModel(counts, firstEdge, binWidth, zeros);
    }

    /** The picture of a core histogram (its lattice bins are equal; explicit edges are taken as equal too). */
    public static TensorHistogram of(Histogram h) {
        double[] c = new double[h.bins()];
        for (int i = 0; i < c.length; i++) {
            c[i] = h.count(i);
        }
        if (h.isEmpty() || !(h.hi() > h.lo())) {
            return new TensorHistogram(c, -0.5, 1.0 / c.length, 0, Double.NaN, Double.NaN);
        }
        return new TensorHistogram(c, h.lo(), (h.hi() - h.lo()) / c.length, h.zeroCount(), h.min(), h.max());
    }

    /** A signed histogram of {@code values} (non-finite values skipped) with {@code bins} bins, as the core bins it. */
    public static TensorHistogram of(float[] values, int bins) {
        Histogram h = Histogram.signed(bins);
        h.add(values);
        return of(h);
    }
}
