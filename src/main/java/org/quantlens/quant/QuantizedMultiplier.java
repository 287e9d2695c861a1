package org.quantlens.quant;

/**
 * A real multiplier {@code m} as TFLite stores it: {@code m ~= multiplier * 2^(shift - 31)}, with
 * {@code multiplier} a Q31 value in {@code [2^30, 2^31)} (or its negative, or 0).
 *
 * @param multiplier Q31 mantissa
 * @param shift      power-of-two exponent: positive = left shift, negative = right shift
 */
public record QuantizedMultiplier(int multiplier, int shift) {

    /**
     * TFLite's {@code QuantizeMultiplier(double, int32*, int*)}:
     * <ol>
     *   <li>{@code m == 0} gives (0, 0);</li>
     *   <li>{@code q, shift = frexp(m)} with {@code |q|} in [0.5, 1);</li>
     *   <li>{@code qFixed = round(q * 2^31)}, round = half away from zero ({@code TfLiteRound});</li>
     *   <li>{@code qFixed == 2^31} (q rounded up to 1): {@code qFixed /= 2}, {@code shift += 1};</li>
     *   <li>{@code shift < -31}: (0, 0) — multipliers below about 2^-31 flush to zero.</li>
     * </ol>
     * Examples: 0.5 gives (2^30, 0); 1.0 gives (2^30, 1); 0.75 gives (3 * 2^29, 0).
     *
     * @throws IllegalArgumentException for NaN or infinite {@code m}
     */
    public static QuantizedMultiplier quantize(double m) {
        if (!Double.isFinite(m)) {
            throw new IllegalArgumentException("multiplier must be finite, got " + m);
        }
        if (m == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        int shift = frexpExponent(m);
        double q = Math.scalb(m, -shift);
        long qFixed = roundHalfAwayFromZero(q * (1L << 31));
        if (qFixed == (1L << 31)) { // TFLite checks the positive case only
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) {
            return new QuantizedMultiplier(0, 0);
        }
        return new QuantizedMultiplier((int) qFixed, shift);
    }

    /** The real multiplier this represents: {@code multiplier * 2^(shift - 31)}. */
    public double toDouble() {
        return Math.scalb((double) multiplier, shift - 31);
    }

    /** {@link FixedPoint#multiplyByQuantizedMultiplier(int, int, int)} with this multiplier. */
    public int apply(int x) {
        return FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift);
    }

    /** C's {@code frexp} exponent: the e with {@code |m| / 2^e} in [0.5, 1), for finite non-zero m. */
    static int frexpExponent(double m) {
        double a = Math.abs(m);
        if (a < Double.MIN_NORMAL) {
            return frexpExponent(a * 0x1p54) - 54;
        }
        return Math.getExponent(a) + 1;
    }

    private static long roundHalfAwayFromZero(double v) {
        return v >= 0 ? (long) Math.floor(v + 0.5) : -(long) Math.floor(-v + 0.5);
    }
}
