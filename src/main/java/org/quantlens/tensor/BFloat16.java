package org.quantlens.tensor;

/**
 * bfloat16 conversions: the upper 16 bits of an IEEE-754 float32. Float to bfloat16 rounds to nearest, ties to
 * even (as ONNX Cast does); NaN stays a quiet NaN.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    public static short fromFloat(float f) {
        int x = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((x >>> 16) | 0x40);
        }
        int lsb = (x >>> 16) & 1;
        int rounded = x + 0x7fff + lsb;
        return (short) (rounded >>> 16);
    }
}
