package org.quantlens.runtime;

/**
 * Streams the sums behind SQNR and cosine similarity between a reference x and an approximation y (in double):
 * {@code sqnr = 10 log10(sum x^2 / sum (x-y)^2)}, {@code cosine = sum xy / sqrt(sum x^2 * sum y^2)}. Degenerate
 * cases: no error gives +infinity dB; a zero reference with error gives -infinity; cosine of two zero signals is 1,
 * of one zero signal 0. NaN values propagate to NaN.
 */
public final class SignalComparison {
    private double xx;
    private double yy;
    private double xy;
    private double ee;
    private long count;

    /** Adds the elementwise pairs of equally long arrays. */
    public void add(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " reference values but " + y.length + " compared");
        }
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            xx += a * a;
            yy += b * b;
            xy += a * b;
            ee += (a - b) * (a - b);
        }
        count += x.length;
    }

    public long count() {
        return count;
    }

    public double sqnrDb() {
        if (ee == 0) {
            return Double.isNaN(xx) ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(xx / ee);
    }

    public double cosine() {
        if (xx == 0 && yy == 0) {
            return 1;
        }
        if (xx == 0 || yy == 0) {
            return 0;
        }
        return xy / Math.sqrt(xx * yy);
    }
}
