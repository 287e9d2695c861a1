package org.quantlens.calib.metrics;

import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.quant.Quantizer;

/**
 * Error metrics computed from raw samples by actually fake-quantizing each one with {@link Quantizer}
 * (ONNX QuantizeLinear/DequantizeLinear semantics): the ground truth that {@link HistogramErrorModel}
 * approximates. All sums in double.
 *
 * <p>A sample is "clipped" when QuantizeLinear saturates it ({@code rint(x / scale) + zp} outside
 * [qmin, qmax]); its error counts toward clippingMse, every other sample's toward roundingMse. KL needs a discrete distribution, so it is the
 * {@link HistogramErrorModel} KL of a {@value #KL_BINS}-bin histogram of the samples on the same grid.
 */
public final class ExactErrorMetrics {
    /** Bins of the histogram the KL is measured on. */
    public static final int KL_BINS = 2048;

    private ExactErrorMetrics() {
    }

    /**
     * The metrics of clipping {@code samples} to (lo, hi) under {@code spec}, parameters from ONNX Runtime's
     * rule on (float) lo, (float) hi. No samples gives {@link ErrorMetrics#EMPTY}.
     *
     * @throws IllegalArgumentException for a NaN or infinite sample (the caller excludes those) or a bad range
     */
    public static ErrorMetrics evaluate(float[] samples, double lo, double hi, QuantSpec spec) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip range [" + lo + ", " + hi + "] is empty or not a number");
        }
        return evaluate(samples, QuantParams.onnxRuntime((float) lo, (float) hi, spec));
    }

    /** The metrics of fake-quantizing {@code samples} with {@code params}; see the class doc. */
    public static ErrorMetrics evaluate(float[] samples, QuantParams params) {
        if (samples.length == 0) {
            return ErrorMetrics.EMPTY;
        }
        Quantizer quantizer = Quantizer.of(params);
        double sumX2 = 0;
        double sumQ2 = 0;
        double sumXQ = 0;
        double rounding = 0;
        double clipping = 0;
        long clipped = 0;
        for (float x : samples) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("samples must be finite, found " + x);
            }
            double q = quantizer.fakeQuant(x);
            double e = x - q;
            double unsaturated = Math.rint(x / params.scale()) + params.zeroPoint();
            sumX2 += (double) x * x;
            sumQ2 += q * q;
            sumXQ += x * q;
            if (unsaturated < params.qmin() || unsaturated > params.qmax()) {
                clipping += e * e;
                clipped++;
            } else {
                rounding += e * e;
            }
        }
        double n = samples.length;
        double mse = (rounding + clipping) / n;
        MutableErrorMetrics kl = new MutableErrorMetrics();
        HistogramErrorModel.fromSamples(samples, KL_BINS)
                .evaluateInto(params.scale(), params.zeroPoint(), params.qmin(), params.qmax(), kl);
        return new ErrorMetrics(mse, ErrorMetrics.sqnrDb(sumX2 / n, mse),
                ErrorMetrics.cosine(sumX2 / n, sumQ2 / n, sumXQ / n), kl.kl(), clipped / n, rounding / n,
                clipping / n);
    }
}
