package org.quantlens.calib.metrics;

import java.util.Arrays;
import org.quantlens.quant.QuantSpec;

/**
 * The error as a function of the clip threshold, from one {@link HistogramErrorModel}: each point costs O(1)
 * (KL is not part of the curve), so a whole curve is O(bins) and allocates only its result arrays.
 *
 * @param thresholds the swept threshold, ascending
 * @param mse        {@link ErrorMetrics#mse()} at each threshold
 * @param sqnrDb     {@link ErrorMetrics#sqnrDb()} at each threshold
 */
public record ErrorCurve(double[] thresholds, double[] mse, double[] sqnrDb) {

    /** Validates equal lengths and copies the arrays. */
    public ErrorCurve {
        if (thresholds.length != mse.length || mse.length != sqnrDb.length) {
            throw new IllegalArgumentException("curve arrays differ in length");
        }
        thresholds = thresholds.clone();
        mse = mse.clone();
        sqnrDb = sqnrDb.clone();
    }

    /**
     * Symmetric sweep: the clip range is [-t, t] for every distinct positive |bin edge| t of the histogram
     * (edges on both sides of 0, merged and de-duplicated), ascending. Parameters by ONNX Runtime's rule under
     * {@code spec} (normally a symmetric scheme; an asymmetric one still gets the range [-t, t]). A histogram
     * whose edges are all 0 gives an empty curve.
     */
    public static ErrorCurve symmetric(HistogramErrorModel model, QuantSpec spec) {
        double[] candidates = positiveAbsEdges(model);
        return sweep(model, spec, candidates, true, 0.0);
    }

    /**
     * Asymmetric sweep with the low end fixed: the clip range is [lo, t] for every bin edge {@code t > max(lo, 0)},
     * ascending (the ONNX Runtime rule widens every range to include 0, so thresholds at or below 0 are all the
     * same range and are left out).
     *
     * @throws IllegalArgumentException when lo is not finite
     */
    public static ErrorCurve upperThreshold(HistogramErrorModel model, double lo, QuantSpec spec) {
        if (!Double.isFinite(lo)) {
            throw new IllegalArgumentException("lo must be finite, got " + lo);
        }
        double floor = Math.max(lo, 0.0);
        int count = 0;
        for (int i = 0; i <= model.bins(); i++) {
            count += model.edge(i) > floor ? 1 : 0;
        }
        double[] candidates = new double[count];
        int k = 0;
        for (int i = 0; i <= model.bins(); i++) {
            if (model.edge(i) > floor) {
                candidates[k++] = model.edge(i);
            }
        }
        return sweep(model, spec, candidates, false, lo);
    }

    private static ErrorCurve sweep(HistogramErrorModel model, QuantSpec spec, double[] thresholds,
                                    boolean symmetric, double lo) {
        double[] mse = new double[thresholds.length];
        double[] sqnr = new double[thresholds.length];
        MutableErrorMetrics out = new MutableErrorMetrics();
        for (int i = 0; i < thresholds.length; i++) {
            double t = thresholds[i];
            model.evaluateInto(symmetric ? -t : lo, t, spec, out, false);
            mse[i] = out.mse();
            sqnr[i] = out.sqnrDb();
        }
        return new ErrorCurve(thresholds, mse, sqnr);
    }

    private static double[] positiveAbsEdges(HistogramErrorModel model) {
        double[] abs = new double[model.bins() + 1];
        int n = 0;
        for (int i = 0; i <= model.bins(); i++) {
            double e = Math.abs(model.edge(i));
            if (e > 0) {
                abs[n++] = e;
            }
        }
        double[] sorted = Arrays.copyOf(abs, n);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    /** Number of points. */
    public int size() {
        return thresholds.length;
    }

    /** Index of the smallest MSE (the first one on ties); -1 for an empty curve. */
    public int argMinMse() {
        int best = -1;
        for (int i = 0; i < mse.length; i++) {
            if (best < 0 || mse[i] < mse[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A copy of the thresholds. */
    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** A copy of the MSE values. */
    @Override
    public double[] mse() {
        return mse.clone();
    }

    /** A copy of the SQNR values. */
    @Override
    public double[] sqnrDb() {
        return sqnrDb.clone();
    }

    /** Threshold {@code i} (no copy). */
    public double threshold(int i) {
        return thresholds[i];
    }

    /** MSE at point {@code i} (no copy). */
    public double mseAt(int i) {
        return mse[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorCurve c && Arrays.equals(thresholds, c.thresholds) && Arrays.equals(mse, c.mse)
                && Arrays.equals(sqnrDb, c.sqnrDb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(thresholds) + Arrays.hashCode(mse)) + Arrays.hashCode(sqnrDb);
    }

    @Override
    public String toString() {
        return "ErrorCurve[" + thresholds.length + " points]";
    }
}
