package org.quantlens.app.histogram;

import org.quantlens.calib.metrics.HistogramErrorModel;

/**
 * A fixed-range histogram of one tensor's values, made app-side for the preview until the streaming calibration
 * histogram lands: {@code counts.length} equal bins over {@code [firstEdge, firstEdge + bins * binWidth]}, where
 * the range is the observed [min, max] (a constant tensor gets a unit-wide range centred on its value, as
 * {@link HistogramErrorModel#fromSamples} does). A value equal to the upper edge falls in the last bin.
 * {@code zeroCount} counts the exact zeros (ReLU outputs), which the error model treats as a point mass.
 *
 * @param counts    values per bin (not copied: treat as read-only)
 * @param firstEdge left edge of bin 0
 * @param binWidth  width of every bin, positive
 * @param zeroCount how many of the values are exactly 0
 * @param min       smallest value seen
 * @param max       largest value seen
 */
public record TensorHistogram(double[] counts, double firstEdge, double binWidth, double zeroCount, double min,
                              double max) {
    /** The preview's resolution, the same as ONNX Runtime's and TensorRT's entropy calibrators. */
    public static final int DEFAULT_BINS = 2048;

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

    /** A histogram of {@code values} (non-finite values skipped) over their own range. */
    public static TensorHistogram of(float[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        Accumulator acc = new Accumulator(min, max, bins);
        acc.add(values);
        return acc.toHistogram();
    }

    /** Counts values into bins fixed up front (the second pass of a two-pass histogram). Not thread-safe. */
    public static final class Accumulator {
        private final double[] counts;
        private final double min;
        private final double max;
        private final double firstEdge;
        private final double binWidth;
        private double zeros;

        /** Bins over [min, max]; with no finite values seen (min > max) the range is [-0.5, 0.5]. */
        public Accumulator(double min, double max, int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("bins must be positive, got " + bins);
            }
            boolean empty = !(min <= max);
            this.min = empty ? 0 : min;
            this.max = empty ? 0 : max;
            double lo = this.min;
            double hi = this.max;
            if (hi - lo < Math.max(Math.abs(lo), 1.0) * 1e-12) {
                lo -= 0.5;
                hi += 0.5;
            }
            this.counts = new double[bins];
            this.firstEdge = lo;
            this.binWidth = (hi - lo) / bins;
        }

        /** Adds the finite values of {@code values}; values outside the range go to the end bins. */
        public void add(float[] values) {
            int last = counts.length - 1;
            double inv = 1.0 / binWidth;
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    continue;
                }
                int i = (int) Math.floor((v - firstEdge) * inv);
                counts[Math.max(0, Math.min(last, i))]++;
                if (v == 0f) {
                    zeros++;
                }
            }
        }

        public TensorHistogram toHistogram() {
            return new TensorHistogram(counts.clone(), firstEdge, binWidth, zeros, min, max);
        }
    }
}
