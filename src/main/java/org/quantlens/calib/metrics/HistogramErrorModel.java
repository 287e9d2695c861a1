package org.quantlens.calib.metrics;

import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;

/**
 * Error metrics of clipping and rounding a histogrammed distribution to a quantization grid, in O(1) per
 * evaluation for everything but KL (O(min(levels, bins))), with no allocation per call.
 *
 * <h2>Distribution</h2>
 * Bin {@code i} covers {@code [e_i, e_i + w)}, {@code e_i = firstEdge + i w}, and holds {@code c_i} values
 * spread uniformly over it (density {@code c_i / w}). Optionally {@code zeroCount} of the values in the bin
 * containing 0 are exact zeros: they are a point mass at 0, which every grid represents exactly (no error),
 * instead of being spread over the bin — this matters for ReLU outputs. {@code N = sum c_i}.
 *
 * <h2>Grid</h2>
 * Codes {@code q in [qmin, qmax]} represent {@code s (q - zp)}; the representable range is
 * {@code [A, B] = [s (qmin - zp), s (qmax - zp)]}. {@code Q(x) = A} for {@code x < A}, {@code B} for
 * {@code x > B}, the nearest grid point inside.
 *
 * <h2>Error, split in two</h2>
 * <ul>
 *   <li>clipping ({@code x} outside {@code [A - s/2, B + s/2]}, where QuantizeLinear saturates):
 *       {@code e = x - A} or {@code x - B}; the integrals {@code int (x - A)^2}, {@code int x (x - A)} over the
 *       tails are exact for the uniform-in-bin density (prefix sums of per-bin moments {@code c}, {@code c m},
 *       {@code c (m^2 + w^2/12)} with {@code m} the bin midpoint, plus the exact piece of the bin that holds
 *       the limit);</li>
 *   <li>rounding ({@code x} inside {@code [A - s/2, B + s/2]}, i.e. whole grid cells): the additive-noise model — the rounding error is uniform on
 *       {@code [-s/2, s/2]} and uncorrelated with the grid value {@code Q(x)}, so each value contributes
 *       {@code s^2/12} to {@code E[e^2]} and, as {@code x e = Q e + e^2}, the same to {@code E[x e]}. This is exact when the density is uniform over each
 *       grid step (true on average for bins much wider than {@code s}) and off by {@code O(s^4 f''/f)} for a
 *       smooth density; it overestimates for point masses on grid points (use {@code zeroCount} for zeros).
 *       When the step is as coarse as the density's own scale (4 bits on Laplace data) it is a few percent off
 *       and {@code 1 - cosine} up to about 10% off.</li>
 * </ul>
 * Then {@code E[x^2]} is the exact second moment of the bin density, {@code E[x Q] = E[x^2] - E[x e]},
 * {@code E[Q^2] = E[x^2] - 2 E[x e] + E[e^2]}, and SQNR/cosine follow {@link ErrorMetrics}.
 *
 * <h2>KL</h2>
 * {@code P}: {@code p_i = c_i / N} over the bins. Bins are grouped into quantization cells by where their
 * midpoint falls: cell {@code k = clamp(floor((m_i - A)/s + 1/2), 0, qmax - qmin)}, so all clipped bins join the
 * two end cells. {@code Q} spreads each cell's mass uniformly over that cell's non-empty bins (TensorRT's
 * expansion rule). {@code KL(P||Q) = sum_{p_i > 0} p_i ln(p_i / q_i)} in nats — finite because both have the
 * same support — computed per cell as {@code (sum c ln c - C ln(C / n)) / N} from prefix sums ({@code C} the
 * cell's count, {@code n} its non-empty bins). It is 0 when every cell is uniform on its support and grows with
 * the shape lost inside cells, wide clipped end cells in particular.
 *
 * <h2>Degenerate cases</h2>
 * No values ({@code N == 0}) gives {@link ErrorMetrics#EMPTY}. Every result is finite.
 *
 * <p>Immutable after construction and safe to share between threads.
 */
public final class HistogramErrorModel {
    private final int bins;
    private final double firstEdge;
    private final double binWidth;
    private final double zeroCount;
    private final double total;          // N, exact zeros included
    private final double[] spread;       // counts spread uniformly (bin containing 0 minus zeroCount)
    private final double[] pre0;         // prefix sums over bins [0, i) of spread counts
    private final double[] pre1;         //   ... of c m
    private final double[] pre2;         //   ... of c (m^2 + w^2/12)
    private final double[] suf0;         // suffix sums over bins [i, bins)
    private final double[] suf1;
    private final double[] suf2;
    private final double[] preCount;     // prefix sums of the raw counts (KL)
    private final double[] preCLogC;     // prefix sums of c ln c (KL)
    private final int[] preNonEmpty;     // prefix count of non-empty bins (KL)
    private final double[] logOf;        // ln(n) for n = 0..bins (KL); ln 0 is never read

    /** A model of {@code counts} over bins of width {@code binWidth} starting at {@code firstEdge}, no exact zeros. */
    public HistogramErrorModel(double[] counts, double firstEdge, double binWidth) {
        this(counts, firstEdge, binWidth, 0.0);
    }

    /**
     * A model with {@code zeroCount} exact zeros among the values of the bin that contains 0 (the bin
     * {@code [e_j, e_j + w)} with {@code e_j <= 0 < e_j + w}, or the last bin when 0 is the last edge).
     *
     * @throws IllegalArgumentException for no bins, a negative or non-finite count, a non-finite first edge, a
     *                                  width that is not finite and positive, or zeroCount negative or larger
     *                                  than that bin's count (any zeroCount > 0 when 0 is outside the bins)
     */
    public HistogramErrorModel(double[] counts, double firstEdge, double binWidth, double zeroCount) {
        validate(counts, firstEdge, binWidth);
        this.bins = counts.length;
        this.firstEdge = firstEdge;
        this.binWidth = binWidth;
        this.spread = counts.clone();
        int zeroBin = binContainingZero();
        if (!(zeroCount >= 0) || zeroCount > 0 && (zeroBin < 0 || zeroCount > counts[zeroBin])) {
            throw new IllegalArgumentException("zeroCount " + zeroCount + " is not within the count of the bin"
                    + " containing 0");
        }
        this.zeroCount = zeroCount;
        if (zeroCount > 0) {
            spread[zeroBin] -= zeroCount;
        }
        pre0 = new double[bins + 1];
        pre1 = new double[bins + 1];
        pre2 = new double[bins + 1];
        suf0 = new double[bins + 1];
        suf1 = new double[bins + 1];
        suf2 = new double[bins + 1];
        preCount = new double[bins + 1];
        preCLogC = new double[bins + 1];
        preNonEmpty = new int[bins + 1];
        double w2over12 = binWidth * binWidth / 12.0;
        for (int i = 0; i < bins; i++) {
            double m = midpoint(i);
            double c = spread[i];
            pre0[i + 1] = pre0[i] + c;
            pre1[i + 1] = pre1[i] + c * m;
            pre2[i + 1] = pre2[i] + c * (m * m + w2over12);
            double raw = counts[i];
            preCount[i + 1] = preCount[i] + raw;
            preCLogC[i + 1] = preCLogC[i] + (raw > 0 ? raw * Math.log(raw) : 0.0);
            preNonEmpty[i + 1] = preNonEmpty[i] + (raw > 0 ? 1 : 0);
        }
        for (int i = bins - 1; i >= 0; i--) {
            double m = midpoint(i);
            double c = spread[i];
            suf0[i] = suf0[i + 1] + c;
            suf1[i] = suf1[i + 1] + c * m;
            suf2[i] = suf2[i + 1] + c * (m * m + w2over12);
        }
        this.total = preCount[bins];
        logOf = new double[bins + 1];
        for (int i = 1; i <= bins; i++) {
            logOf[i] = Math.log(i);
        }
    }

    private static void validate(double[] counts, double firstEdge, double binWidth) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("histogram has no bins");
        }
        if (!Double.isFinite(firstEdge) || !(binWidth > 0) || !Double.isFinite(binWidth)) {
            throw new IllegalArgumentException("bad histogram layout: first edge " + firstEdge + ", bin width "
                    + binWidth);
        }
        for (int i = 0; i < counts.length; i++) {
            if (!(counts[i] >= 0) || Double.isInfinite(counts[i])) {
                throw new IllegalArgumentException("histogram bin " + i + " has count " + counts[i]);
            }
        }
    }

    private int binContainingZero() {
        double t = -firstEdge / binWidth;
        if (t < 0 || t > bins) {
            return -1;
        }
        return (int) Math.min(bins - 1, Math.floor(t));
    }

    /**
     * A model of finite samples: {@code bins} equal bins over [min, max] (a constant input gets one unit-wide
     * range centred on it), exact zeros counted as {@code zeroCount}.
     *
     * @throws IllegalArgumentException for an empty array, a NaN or infinite sample, or bins < 1
     */
    public static HistogramErrorModel fromSamples(float[] samples, int bins) {
        if (samples.length == 0 || bins < 1) {
            throw new IllegalArgumentException("need samples and at least one bin");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : samples) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("samples must be finite, found " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (max == min) {
            min -= 0.5;
            max += 0.5;
        }
        double width = (max - min) / bins;
        double[] counts = new double[bins];
        double zeros = 0;
        for (float v : samples) {
            int i = (int) Math.min(bins - 1, Math.floor((v - min) / width));
            counts[i]++;
            if (v == 0f) {
                zeros++;
            }
        }
        return new HistogramErrorModel(counts, min, width, zeros);
    }

    /** Number of bins. */
    public int bins() {
        return bins;
    }

    /** Left edge of bin 0. */
    public double firstEdge() {
        return firstEdge;
    }

    /** Width of every bin. */
    public double binWidth() {
        return binWidth;
    }

    /** Edge {@code i} in 0..bins: {@code firstEdge + i * binWidth}. */
    public double edge(int i) {
        return firstEdge + i * binWidth;
    }

    /** N, the number of values (exact zeros included). */
    public double totalCount() {
        return total;
    }

    /** The exact zeros given at construction. */
    public double zeroCount() {
        return zeroCount;
    }

    /** {@code E[x^2]} of the modelled distribution (0 when empty). */
    public double signalPower() {
        return total > 0 ? pre2[bins] / total : 0.0;
    }

    /** {@link #evaluateInto} into a fresh holder, as a record. Allocates; use evaluateInto in loops. */
    public ErrorMetrics evaluate(double lo, double hi, QuantSpec spec) {
        MutableErrorMetrics out = new MutableErrorMetrics();
        evaluateInto(lo, hi, spec, out);
        return out.toRecord();
    }

    /**
     * The metrics of the clip range (lo, hi) under {@code spec}, with scale and zero point from ONNX Runtime's
     * rule ({@link QuantParams#onnxRuntime(float, float, QuantSpec)}: range widened to include 0, symmetric
     * schemes use [-absmax, absmax]). lo and hi are rounded to float32 first, as a calibration table stores
     * them. Allocates nothing.
     *
     * @throws IllegalArgumentException when lo or hi is not finite or lo > hi
     */
    public void evaluateInto(double lo, double hi, QuantSpec spec, MutableErrorMetrics out) {
        evaluateInto(lo, hi, spec, out, true);
    }

    /**
     * {@link #evaluateInto(double, double, QuantSpec, MutableErrorMetrics)}, optionally without KL (then 0):
     * KL costs O(min(levels, bins)) while everything else is O(1), so a threshold drag that only shows
     * MSE/SQNR/cosine can skip it.
     */
    public void evaluateInto(double lo, double hi, QuantSpec spec, MutableErrorMetrics out, boolean withKl) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip range [" + lo + ", " + hi + "] is empty or not a number");
        }
        float flo = (float) lo;
        float fhi = (float) hi;
        float scale = QuantParams.onnxRuntimeScale(flo, fhi, spec);
        int zp = QuantParams.onnxRuntimeZeroPoint(flo, fhi, spec);
        evaluateInto(scale, zp, spec.qmin(), spec.qmax(), out, withKl);
    }

    /**
     * The metrics of the grid {@code scale (q - zeroPoint)}, {@code q in [qmin, qmax]} (any parameters, e.g. from
     * an imported table). Allocates nothing.
     *
     * @throws IllegalArgumentException when scale is not finite and positive or zeroPoint is outside [qmin, qmax]
     */
    public void evaluateInto(double scale, int zeroPoint, int qmin, int qmax, MutableErrorMetrics out) {
        evaluateInto(scale, zeroPoint, qmin, qmax, out, true);
    }

    void evaluateInto(double scale, int zeroPoint, int qmin, int qmax, MutableErrorMetrics out, boolean withKl) {
        if (!(scale > 0) || Double.isInfinite(scale) || qmin >= qmax || zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("bad grid: scale " + scale + ", zero point " + zeroPoint
                    + ", codes [" + qmin + ", " + qmax + "]");
        }
        if (!(total > 0)) {
            out.set(0, ErrorMetrics.SQNR_CAP_DB, 1, 0, 0, 0, 0);
            return;
        }
        double a = scale * ((long) qmin - zeroPoint);
        double b = scale * ((long) qmax - zeroPoint);
        double lowLimit = a - 0.5 * scale;  // below this, rint(x / s) + zp < qmin: saturated
        double highLimit = b + 0.5 * scale;
        double lowMass = massBelow(lowLimit);
        double highMass = massAbove(highLimit);
        double inMass = Math.max(0.0, pre0[bins] - lowMass - highMass);
        double roundingSum = inMass * scale * scale / 12.0;
        double clippingSum = Math.max(0.0, squareErrorBelow(lowLimit, a))
                + Math.max(0.0, squareErrorAbove(highLimit, b));
        // sum of x e: exact over the saturated tails; inside, E[Q e] = 0 so x e = (Q + e) e contributes e^2
        double crossSum = crossBelow(lowLimit, a) + crossAbove(highLimit, b) + roundingSum;
        double inv = 1.0 / total;
        double mse = (roundingSum + clippingSum) * inv;
        double ex2 = pre2[bins] * inv;
        double exe = crossSum * inv;
        double eq2 = Math.max(0.0, ex2 - 2 * exe + mse);
        double kl = withKl ? klDivergence(a, scale, qmax - qmin) : 0.0;
        out.set(mse, ErrorMetrics.sqnrDb(ex2, mse), ErrorMetrics.cosine(ex2, eq2, ex2 - exe), kl,
                (lowMass + highMass) * inv, roundingSum * inv, clippingSum * inv);
    }

    private double midpoint(int i) {
        return firstEdge + (i + 0.5) * binWidth;
    }

    /** Spread mass below x: whole bins plus the uniform fraction of the bin containing x. */
    private double massBelow(double x) {
        double t = (x - firstEdge) / binWidth;
        if (t <= 0) {
            return 0.0;
        }
        if (t >= bins) {
            return pre0[bins];
        }
        int j = (int) t;
        return pre0[j] + spread[j] * (t - j);
    }

    /** Spread mass above x. */
    private double massAbove(double x) {
        double t = (x - firstEdge) / binWidth;
        if (t >= bins) {
            return 0.0;
        }
        if (t <= 0) {
            return suf0[0];
        }
        int j = (int) t;
        return suf0[j + 1] + spread[j] * (j + 1 - t);
    }

    /** int_{y < limit} (y - ref)^2 of the spread density. */
    private double squareErrorBelow(double limit, double ref) {
        double t = (limit - firstEdge) / binWidth;
        if (t <= 0) {
            return 0.0;
        }
        int j = (int) Math.min(t, bins);
        double whole = pre2[j] - 2 * ref * pre1[j] + ref * ref * pre0[j];
        if (j == bins) {
            return whole;
        }
        return whole + spread[j] / binWidth * (cube(limit - ref) - cube(edge(j) - ref)) / 3.0;
    }

    /** int_{y > limit} (y - ref)^2 of the spread density. */
    private double squareErrorAbove(double limit, double ref) {
        double t = (limit - firstEdge) / binWidth;
        if (t >= bins) {
            return 0.0;
        }
        if (t <= 0) {
            return suf2[0] - 2 * ref * suf1[0] + ref * ref * suf0[0];
        }
        int j = (int) t;
        double whole = suf2[j + 1] - 2 * ref * suf1[j + 1] + ref * ref * suf0[j + 1];
        return whole + spread[j] / binWidth * (cube(edge(j + 1) - ref) - cube(limit - ref)) / 3.0;
    }

    /** int_{y < limit} y (y - ref) of the spread density. */
    private double crossBelow(double limit, double ref) {
        double t = (limit - firstEdge) / binWidth;
        if (t <= 0) {
            return 0.0;
        }
        int j = (int) Math.min(t, bins);
        double whole = pre2[j] - ref * pre1[j];
        if (j == bins) {
            return whole;
        }
        return whole + spread[j] / binWidth * (crossAntiderivative(limit - ref, ref)
                - crossAntiderivative(edge(j) - ref, ref));
    }

    /** int_{y > limit} y (y - ref) of the spread density. */
    private double crossAbove(double limit, double ref) {
        double t = (limit - firstEdge) / binWidth;
        if (t >= bins) {
            return 0.0;
        }
        if (t <= 0) {
            return suf2[0] - ref * suf1[0];
        }
        int j = (int) t;
        double whole = suf2[j + 1] - ref * suf1[j + 1];
        return whole + spread[j] / binWidth * (crossAntiderivative(edge(j + 1) - ref, ref)
                - crossAntiderivative(limit - ref, ref));
    }

    /** With u = y - ref: int (u + ref) u du = u^3/3 + ref u^2/2. */
    private static double crossAntiderivative(double u, double ref) {
        return u * u * u / 3.0 + ref * u * u / 2.0;
    }

    private static double cube(double u) {
        return u * u * u;
    }

    /** KL(P||Q) of the class doc, cell by cell; {@code lastCell = qmax - qmin}. */
    private double klDivergence(double a, double scale, int lastCell) {
        double invScale = 1.0 / scale;
        double invWidth = 1.0 / binWidth;
        boolean cellsCoverBins = scale >= binWidth; // then every cell holds a midpoint: next cell is k + 1
        double sum = 0.0;
        int j = 0;
        long k = cellOf(midpoint(0), a, invScale, lastCell);
        while (j < bins) {
            int end;
            if (k >= lastCell) {
                end = bins;
            } else {
                double boundary = a + (k + 0.5) * scale; // first midpoint of cell k + 1
                double firstNext = Math.ceil((boundary - firstEdge) * invWidth - 0.5);
                end = (int) Math.max(j + 1, Math.min(bins, firstNext));
            }
            double c = preCount[end] - preCount[j];
            if (c > 0) {
                int nonEmpty = preNonEmpty[end] - preNonEmpty[j];
                sum += (preCLogC[end] - preCLogC[j]) - c * (Math.log(c) - logOf[nonEmpty]);
            }
            j = end;
            k = cellsCoverBins ? k + 1 : cellOf(midpoint(Math.min(j, bins - 1)), a, invScale, lastCell);
        }
        return Math.max(0.0, sum / total);
    }

    private static long cellOf(double x, double a, double invScale, int lastCell) {
        double k = Math.floor((x - a) * invScale + 0.5);
        return (long) Math.max(0, Math.min(lastCell, k));
    }
}
