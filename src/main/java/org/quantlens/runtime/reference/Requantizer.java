package org.quantlens.runtime.reference;

import org.quantlens.quant.FixedPoint;
import org.quantlens.quant.QuantizedMultiplier;
import org.quantlens.runtime.RequantMode;

/**
 * Brings an int32 accumulator to an output code: {@code q = clamp(zp + requant(acc, M[c]), lo, hi)} with one real
 * multiplier {@code M[c]} per channel (a single one for per-tensor).
 * <ul>
 *   <li>{@link RequantMode#FIXED_POINT}: {@code requant = multiplyByQuantizedMultiplier(acc, quantize(M))} (TFLite
 *       reference kernels): rounds twice (the doubling high multiply, then the rounding shift), so the result is
 *       within one step of {@code acc * M} but not always the nearest integer;</li>
 *   <li>{@link RequantMode#FLOAT}: {@code requant = rint(float(acc) * float(M))}, round half to even, as ONNX
 *       Runtime's MLAS requantization. Results beyond int range saturate before the zero point is added.</li>
 * </ul>
 * {@code [lo, hi]} is the output code range intersected with a fused Relu/Clip's range. A multiplier of 0 (zero
 * weight scale is impossible, but a flushed tiny multiplier) maps everything to {@code zp}.
 */
public final class Requantizer {
    private final RequantMode mode;
    private final int[] multipliers;
    private final int[] shifts;
    private final float[] realMultipliers;
    private final int zeroPoint;
    private final int lo;
    private final int hi;

    /**
     * @param real one real multiplier per channel (finite, {@code >= 0})
     */
    public Requantizer(RequantMode mode, double[] real, int zeroPoint, int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty clamp range [" + lo + ", " + hi + "]");
        }
        this.mode = mode;
        this.multipliers = new int[real.length];
        this.shifts = new int[real.length];
        this.realMultipliers = new float[real.length];
        for (int c = 0; c < real.length; c++) {
            QuantizedMultiplier m = QuantizedMultiplier.quantize(real[c]);
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
            realMultipliers[c] = (float) real[c];
        }
        this.zeroPoint = zeroPoint;
        this.lo = lo;
        this.hi = hi;
    }

    /** A per-tensor requantizer. */
    public static Requantizer single(RequantMode mode, double real, int zeroPoint, int lo, int hi) {
        return new Requantizer(mode, new double[] {real}, zeroPoint, lo, hi);
    }

    /** The output code for accumulator {@code acc} of channel {@code c}. */
    public int apply(int acc, int c) {
        long v;
        if (mode == RequantMode.FIXED_POINT) {
            v = FixedPoint.multiplyByQuantizedMultiplier(acc, multipliers[c], shifts[c]);
        } else {
            float scaled = (float) acc * realMultipliers[c];
            v = (long) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(scaled)));
        }
        v += zeroPoint;
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /** Channel 0 ({@link #apply(int, int)}). */
    public int apply(int acc) {
        return apply(acc, 0);
    }

    public RequantMode mode() {
        return mode;
    }

    /** Channel {@code c}'s Q31 multiplier ({@link QuantizedMultiplier#multiplier()}). */
    public int multiplier(int c) {
        return multipliers[c];
    }

    /** Channel {@code c}'s power-of-two exponent ({@link QuantizedMultiplier#shift()}). */
    public int shift(int c) {
        return shifts[c];
    }

    /** Channel {@code c}'s real multiplier rounded to float32 (used by {@link RequantMode#FLOAT}). */
    public float realMultiplier(int c) {
        return realMultipliers[c];
    }

    public int zeroPoint() {
        return zeroPoint;
    }

    public int channels() {
        return multipliers.length;
    }

    public int lo() {
        return lo;
    }

    public int hi() {
        return hi;
    }
}
