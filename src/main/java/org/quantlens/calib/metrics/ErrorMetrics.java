package org.quantlens.calib.metrics;

/**
 * How much clipping and rounding to a quantization grid hurts a distribution. With {@code x} the original
 * value, {@code Q(x)} its fake-quantized value and {@code e = x - Q(x)}:
 *
 * @param mse             {@code E[e^2] = roundingMse + clippingMse}
 * @param sqnrDb          {@code 10 log10(E[x^2] / E[e^2])}, clamped to [-{@value #SQNR_CAP_DB},
 *                        {@value #SQNR_CAP_DB}] dB; no noise (including an all-zero signal) gives the cap
 * @param cosine          {@code E[x Q(x)] / sqrt(E[x^2] E[Q(x)^2])}; 1 when both are zero vectors, 0 when
 *                        exactly one is
 * @param kl              KL divergence in nats between the value distribution and its quantized version; the
 *                        exact definition is in {@link HistogramErrorModel}
 * @param fractionClipped fraction of values that saturate: {@code rint(x/s) + zp} outside [qmin, qmax], i.e.
 *                        {@code x} outside {@code [clipMin - s/2, clipMax + s/2]}
 * @param roundingMse     the part of {@code mse} from values that do not saturate (|e| <= s/2), divided by all
 *                        values
 * @param clippingMse     the part from saturated values, {@code (x - clipMin)^2} or {@code (x - clipMax)^2},
 *                        divided by all values
 */
public record ErrorMetrics(double mse, double sqnrDb, double cosine, double kl, double fractionClipped,
                           double roundingMse, double clippingMse) {

    /** The SQNR bound in dB: above anything 16-bit quantization of float32 data can reach (about 98 dB). */
    public static final double SQNR_CAP_DB = 200.0;

    /** The metrics of an empty distribution (no values): no error, SQNR at the cap, cosine 1. */
    public static final ErrorMetrics EMPTY = new ErrorMetrics(0, SQNR_CAP_DB, 1, 0, 0, 0, 0);

    /**
     * {@code 10 log10(signalPower / noisePower)} clamped to [-SQNR_CAP_DB, SQNR_CAP_DB]; zero noise gives
     * +SQNR_CAP_DB (also for a zero signal: nothing was lost), zero signal with noise gives -SQNR_CAP_DB.
     */
    public static double sqnrDb(double signalPower, double noisePower) {
        if (!(noisePower > 0)) {
            return SQNR_CAP_DB;
        }
        if (!(signalPower > 0)) {
            return -SQNR_CAP_DB;
        }
        double db = 10.0 * Math.log10(signalPower / noisePower);
        return Math.max(-SQNR_CAP_DB, Math.min(SQNR_CAP_DB, db));
    }

    /**
     * {@code exy / sqrt(exx * eyy)} clamped to [-1, 1]; 1 when both powers are zero, 0 when exactly one is.
     */
    public static double cosine(double exx, double eyy, double exy) {
        boolean xZero = !(exx > 0);
        boolean yZero = !(eyy > 0);
        if (xZero || yZero) {
            return xZero && yZero ? 1.0 : 0.0;
        }
        double c = exy / Math.sqrt(exx * eyy);
        return Math.max(-1.0, Math.min(1.0, c));
    }
}
