package org.quantlens.runtime;

/**
 * How an int32 accumulator is brought to the output's 8-bit scale, {@code q = zp_out + acc * M} with the real
 * multiplier {@code M} (for Conv {@code s_in * s_w / s_out}).
 */
public enum RequantMode {
    /**
     * Integer only, as TFLite and gemmlowp: {@code M} is stored as a Q31 mantissa and a power-of-two shift
     * ({@link org.quantlens.quant.QuantizedMultiplier#quantize}) and applied with
     * {@link org.quantlens.quant.FixedPoint#multiplyByQuantizedMultiplier} (round to nearest, ties of the high
     * multiply toward +infinity, ties of the final shift away from zero).
     */
    FIXED_POINT,
    /**
     * In float32, as ONNX Runtime's CPU kernels (MLAS {@code MlasRequantizeOutput}): {@code rint(float(acc) * M)}
     * with {@code M} rounded to float32, round half to even.
     */
    FLOAT
}
