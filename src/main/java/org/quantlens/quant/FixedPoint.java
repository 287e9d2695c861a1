package org.quantlens.quant;

/**
 * gemmlowp / TFLite fixed-point primitives, named after what they emulate (gemmlowp fixedpoint.h,
 * TFLite {@code MultiplyByQuantizedMultiplier}). All arithmetic that could wrap is done in {@code long}.
 */
public final class FixedPoint {
    private FixedPoint() {
    }

    /**
     * gemmlowp {@code SaturatingRoundingDoublingHighMul}: the high 32 bits of {@code 2*a*b} rounded to nearest,
     * computed as {@code (a*b + nudge) / 2^31} truncated toward zero, where nudge is {@code 2^30} for a
     * non-negative product and {@code 1 - 2^30} otherwise; so exact ties go toward +infinity
     * ({@code 0.5 -> 1}, {@code -0.5 -> 0}, {@code -1.5 -> -1}). The one overflowing input,
     * {@code a == b == Integer.MIN_VALUE}, saturates to {@code Integer.MAX_VALUE}.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31)); // Java long division truncates toward zero, like C++
    }

    /**
     * gemmlowp {@code RoundingDivideByPOT}: {@code x / 2^exponent} rounded to nearest, ties away from zero.
     *
     * @param exponent 0..31
     * @throws IllegalArgumentException for an exponent outside 0..31 (gemmlowp asserts)
     */
    public static int roundingDivideByPot(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent must be in 0..31, got " + exponent);
        }
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * TFLite's (double-rounding) {@code MultiplyByQuantizedMultiplier}: approximately {@code x * m * 2^shift}
     * where {@code m = multiplier / 2^31}:
     * <pre>
     *   roundingDivideByPot(saturatingRoundingDoublingHighMul(x * 2^max(shift,0), multiplier), max(-shift,0))
     * </pre>
     * TFLite overflows (undefined behaviour) when {@code x * 2^shift} leaves int range; here that product is
     * saturated to int range instead. A right shift beyond 31 (only from hand-made parameters;
     * {@link QuantizedMultiplier#quantize} never makes one) returns 0 for all but ties, as the bits are gone.
     */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        long shifted = leftShift >= 32 ? (x == 0 ? 0 : (x > 0 ? Long.MAX_VALUE : Long.MIN_VALUE))
                : (long) x << leftShift;
        int xs = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, shifted));
        int high = saturatingRoundingDoublingHighMul(xs, multiplier);
        return rightShift > 31 ? 0 : roundingDivideByPot(high, rightShift);
    }

    /** {@link #multiplyByQuantizedMultiplier(int, int, int)} with a {@link QuantizedMultiplier}. */
    public static int multiplyByQuantizedMultiplier(int x, QuantizedMultiplier m) {
        return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
    }
}
