package org.quantlens.app.playground;

import org.quantlens.quant.FixedPoint;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.quant.QuantizedMultiplier;
import org.quantlens.quant.Quantizer;

/**
 * One int8 dot product worked through as an integer kernel does it (TFLite / gemmlowp):
 * <ol>
 *   <li>x is quantized int8 asymmetric over its own [min, max] (scale s_x, zero point z_x), w int8 symmetric on
 *       [-127, 127] over its absmax (s_w, zero point 0), both by ONNX Runtime's parameter rule;</li>
 *   <li>the int32 accumulator {@code acc = sum_i (q_x[i] - z_x) * q_w[i]} (each product fits 16 bits, the sum is
 *       checked against int32 overflow);</li>
 *   <li>the real multiplier {@code M = s_x * s_w / s_y} for the output's int8 asymmetric parameters (s_y, z_y) over
 *       [yMin, yMax] is stored as a Q31 {@link QuantizedMultiplier} (multiplier, shift);</li>
 *   <li>{@code q_y = clamp(multiplyByQuantizedMultiplier(acc, multiplier, shift) + z_y, -128, 127)};</li>
 *   <li>the float result {@code s_y * (q_y - z_y)} is compared with the exact {@code sum x[i] w[i]} (in double).</li>
 * </ol>
 * {@link #floatRequantized()} is the same requantization in double ({@code round-half-to-even(acc * M) + z_y},
 * ONNX Runtime's float requantization) to show the fixed-point path agrees.
 *
 * @param x                 the inputs
 * @param w                 the weights
 * @param xParams           input parameters
 * @param wParams           weight parameters
 * @param yParams           output parameters
 * @param qx                quantized inputs
 * @param qw                quantized weights
 * @param accumulator       the int32 accumulator
 * @param realMultiplier    s_x * s_w / s_y (from the float32 scales, in double)
 * @param multiplier        the Q31 mantissa and shift of M
 * @param requantized       the int8 output code
 * @param floatRequantized  the int8 output code by float requantization
 * @param result            the dequantized output s_y * (q_y - z_y)
 * @param exact             sum x[i] * w[i] in double
 */
public record QuantizedDot(float[] x, float[] w, QuantParams xParams, QuantParams wParams, QuantParams yParams,
                           int[] qx, int[] qw, int accumulator, double realMultiplier, QuantizedMultiplier multiplier,
                           int requantized, int floatRequantized, double result, double exact) {

    /**
     * Works the dot product of {@code x} and {@code w} (same length, at least 1) with output range [yMin, yMax].
     *
     * @throws IllegalArgumentException for different lengths, no elements, or non-finite values
     */
    public static QuantizedDot of(float[] x, float[] w, double yMin, double yMax) {
        if (x.length != w.length || x.length == 0) {
            throw new IllegalArgumentException("x and w need the same, non-zero length (got " + x.length + " and "
                    + w.length + ")");
        }
        QuantSpec int8Asym = QuantSpec.of(QuantScheme.INT8_ASYMMETRIC);
        QuantParams xp = QuantParams.onnxRuntime(min(x), max(x), int8Asym);
        float wAbs = Math.max(Math.abs(min(w)), Math.abs(max(w)));
        QuantParams wp = QuantParams.onnxRuntime(-wAbs, wAbs, QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        QuantParams yp = QuantParams.onnxRuntime((float) yMin, (float) yMax, int8Asym);
        int[] qx = new int[x.length];
        int[] qw = new int[w.length];
        long acc = 0;
        double exact = 0;
        for (int i = 0; i < x.length; i++) {
            qx[i] = Quantizer.of(xp).quantize(x[i]);
            qw[i] = Quantizer.of(wp).quantize(w[i]);
            acc += (long) (qx[i] - xp.zeroPoint()) * qw[i];
            exact += (double) x[i] * w[i];
        }
        if (acc != (int) acc) {
            throw new IllegalArgumentException("the accumulator " + acc + " overflows int32");
        }
        double m = (double) xp.scale() * wp.scale() / yp.scale();
        QuantizedMultiplier qm = QuantizedMultiplier.quantize(m);
        int qy = clamp(FixedPoint.multiplyByQuantizedMultiplier((int) acc, qm) + yp.zeroPoint(), yp);
        int qyFloat = clamp((long) Math.rint(acc * m) + yp.zeroPoint(), yp);
        double result = (double) yp.scale() * (qy - yp.zeroPoint());
        return new QuantizedDot(x.clone(), w.clone(), xp, wp, yp, qx, qw, (int) acc, m, qm, qy, qyFloat, result,
                exact);
    }

    /** The output range that holds every possible result: +-sum |x[i]| * |w[i]|. */
    public static double bound(float[] x, float[] w) {
        double s = 0;
        for (int i = 0; i < Math.min(x.length, w.length); i++) {
            s += Math.abs((double) x[i] * w[i]);
        }
        return s;
    }

    /** The absolute error of the quantized result against the exact one. */
    public double error() {
        return Math.abs(result - exact);
    }

    private static int clamp(long v, QuantParams p) {
        return (int) Math.max(p.qmin(), Math.min(p.qmax(), v));
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : v) {
            requireFinite(f);
            m = Math.min(m, f);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    private static void requireFinite(float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("values must be finite, got " + f);
        }
    }
}
