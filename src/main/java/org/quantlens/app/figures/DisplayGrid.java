package org.quantlens.app.figures;

/**
 * A grid of equal bins over [lo, hi] for drawing: values or whole source bins are counted into it and read out
 * as fractions of everything counted, so curves of tensors of different sizes (and of histograms on different
 * lattices) can be overlaid. A value equal to hi lands in the last bin; a degenerate range (lo == hi) is widened
 * by 0.5 on each side so it still has a width.
 */
final class DisplayGrid {
    private final double lo;
    private final double width;
    private final double[] counts;
    private double total;

    DisplayGrid(double lo, double hi, int bins) {
        if (bins < 1 || !Double.isFinite(lo) || !Double.isFinite(hi) || hi < lo) {
            throw new IllegalArgumentException("bad grid [" + lo + ", " + hi + "] x " + bins);
        }
        if (hi == lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        this.lo = lo;
        this.width = (hi - lo) / bins;
        this.counts = new double[bins];
    }

    /** Counts {@code weight} at {@code x}; non-finite x is skipped, x outside the grid goes to the nearest end bin. */
    void add(double x, double weight) {
        if (!Double.isFinite(x)) {
            return;
        }
        int i = (int) Math.floor((x - lo) / width);
        counts[Math.max(0, Math.min(counts.length - 1, i))] += weight;
        total += weight;
    }

    /** The curve of fractions (each bin's share of everything counted; all zero when nothing was). */
    Curve fractions(String name) {
        double[] x = new double[counts.length];
        double[] y = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            x[i] = lo + (i + 0.5) * width;
            y[i] = total == 0 ? 0 : counts[i] / total;
        }
        return new Curve(name, x, y);
    }
}
