package org.quantlens.calib.search;

/**
 * Settings for {@link RangeMethods#compute}; {@link #DEFAULT} holds each reference's defaults.
 *
 * @param bits             quantized bit width (8): levels for KL (2^(bits-1)), dst bins for MSE (2^bits), ACIQ table
 * @param symmetric        minmax/ema: return (-t, t); percentile: ORT's symmetric mode on an |x| histogram
 * @param percentile       percentile in [0, 100] (ORT default 99.999)
 * @param numQuantizedBins ONNX Runtime's num_quantized_bins for kl-onnxruntime (128)
 * @param suppressZeroSpike kl-tensorrt: bins[0] = bins[1] first (pytorch-quantization)
 * @param aciqPrior        ACIQ's assumed distribution
 * @param fullCurve        true (the default): every candidate's value is in {@link SearchResult#values()}, for the
 *                         app's curve plots; false (table builds, where only the range is kept): kl-ncnn may skip
 *                         candidates that provably cannot be chosen, leaving NaN as their value. The range, the
 *                         chosen index and every evaluated value are the same either way.
 */
public record RangeOptions(int bits, boolean symmetric, double percentile, int numQuantizedBins,
                           boolean suppressZeroSpike, Aciq.Prior aciqPrior, boolean fullCurve) {
    public static final RangeOptions DEFAULT = new RangeOptions(8, false, Percentile.DEFAULT_PERCENTILE, 128, false,
            Aciq.Prior.LAPLACE);

    /** Options with the full curve. */
    public RangeOptions(int bits, boolean symmetric, double percentile, int numQuantizedBins,
                        boolean suppressZeroSpike, Aciq.Prior aciqPrior) {
        this(bits, symmetric, percentile, numQuantizedBins, suppressZeroSpike, aciqPrior, true);
    }

    public RangeOptions withSymmetric(boolean s) {
        return new RangeOptions(bits, s, percentile, numQuantizedBins, suppressZeroSpike, aciqPrior, fullCurve);
    }

    /** The same options for a caller that keeps only the range (see {@code fullCurve}). */
    public RangeOptions rangeOnly() {
        return new RangeOptions(bits, symmetric, percentile, numQuantizedBins, suppressZeroSpike, aciqPrior, false);
    }

    public RangeOptions withPercentile(double p) {
        return new RangeOptions(bits, symmetric, p, numQuantizedBins, suppressZeroSpike, aciqPrior, fullCurve);
    }
}
