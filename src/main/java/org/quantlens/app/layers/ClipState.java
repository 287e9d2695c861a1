package org.quantlens.app.layers;

import org.quantlens.calib.metrics.ErrorMetrics;
import org.quantlens.calib.metrics.HistogramErrorModel;
import org.quantlens.calib.metrics.MutableErrorMetrics;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;

/**
 * The chosen clip range of a tensor and what it costs: ONNX Runtime's scale and zero point for the range
 * ({@link QuantParams#onnxRuntime(float, float, QuantSpec)}) and the histogram-modelled error
 * ({@link HistogramErrorModel#evaluate}, KL left out: the table does not show it).
 *
 * @param lo      clip minimum
 * @param hi      clip maximum, {@code >= lo}
 * @param method  where the range came from: "minmax", "manual", later the calibration method
 * @param params  scale and zero point
 * @param metrics MSE, SQNR, fraction clipped, ...; null when the tensor has no histogram
 */
public record ClipState(double lo, double hi, String method, QuantParams params, ErrorMetrics metrics) {
    /** The method name of a range set by hand. */
    public static final String MANUAL = "manual";

    /** The state of clipping to [lo, hi] under {@code spec}, measured on {@code model} (may be null). */
    public static ClipState of(double lo, double hi, String method, QuantSpec spec, HistogramErrorModel model) {
        return of(lo, hi, method, spec, model, true);
    }

    /**
     * As {@link #of(double, double, String, QuantSpec, HistogramErrorModel)}; without KL ({@code withKl} false,
     * the metrics' kl is then NaN) the error costs O(1) instead of O(levels): what a drag frame needs.
     */
    public static ClipState of(double lo, double hi, String method, QuantSpec spec, HistogramErrorModel model,
                               boolean withKl) {
        QuantParams p = QuantParams.onnxRuntime((float) lo, (float) hi, spec);
        ErrorMetrics m = null;
        if (model != null) {
            MutableErrorMetrics out = new MutableErrorMetrics();
            model.evaluateInto(lo, hi, spec, out, withKl);
            ErrorMetrics r = out.toRecord();
            m = withKl ? r : new ErrorMetrics(r.mse(), r.sqnrDb(), r.cosine(), Double.NaN, r.fractionClipped(),
                    r.roundingMse(), r.clippingMse());
        }
        return new ClipState(lo, hi, method, p, m);
    }

    /** True when a person set this range by dragging or typing. */
    public boolean manual() {
        return MANUAL.equals(method);
    }

    public String rangeText() {
        return Format.number(lo) + " … " + Format.number(hi);
    }

    /** "0.0157 / 128" */
    public String scaleZeroPointText() {
        return Format.number(params.scale()) + " / " + params.zeroPoint();
    }
}
