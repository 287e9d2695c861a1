package org.quantlens.app.figures;

/**
 * One plotted curve: y over x at bin centres, immutable (arrays are not copied; treat them as read-only).
 *
 * @param name the legend text (a tensor name, or "sample 3")
 * @param x    bin centres, increasing
 * @param y    the value per bin (a fraction of the tensor's values, so curves of different sizes compare)
 */
public record Curve(String name, double[] x, double[] y) {
    public Curve {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        }
    }

    /**
     * The fractions of {@code values} in {@code bins} equal bins over [lo, hi] (values outside go to the end bins,
     * non-finite ones are skipped).
     */
    public static Curve histogram(String name, float[] values, double lo, double hi, int bins) {
        DisplayGrid g = new DisplayGrid(lo, hi, bins);
        for (float v : values) {
            g.add(v, 1);
        }
        return g.fractions(name);
    }

    /** The sum of y (1 for a curve of fractions with no value outside the grid). */
    public double sum() {
        double s = 0;
        for (double v : y) {
            s += v;
        }
        return s;
    }
}
