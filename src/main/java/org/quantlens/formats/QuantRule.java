package org.quantlens.formats;

import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.InvalidInputException;

/**
 * Scale and zero point from a clip range, with ONNX Runtime's rule ({@code quant_utils.compute_scale_zp}): the range
 * is widened to include 0; symmetric schemes use [-a, a] with a = max(|min|, |max|); scale = (max - min)/(qmax - qmin);
 * zero point = round(qmin - min/scale) half to even (0 for int8-symmetric); a zero-width range gets scale 1.
 * Integer ranges per scheme and bit width b: uint8-asymmetric [0, 2^b - 1], int8-symmetric [-(2^(b-1) - 1),
 * 2^(b-1) - 1] (TensorRT's and ORT's restricted symmetric range, 127 for 8 bits), int8-asymmetric [-2^(b-1), 2^(b-1) - 1].
 *
 * <p>The scale and zero point come from {@link QuantParams#onnxRuntime}; this class adds the scheme names, the clip
 * range that goes into a table, and the storage range a zero point is checked against.
 */
final class QuantRule {
    static final String UINT8_ASYMMETRIC = "uint8-asymmetric";
    static final String INT8_SYMMETRIC = "int8-symmetric";
    static final String INT8_ASYMMETRIC = "int8-asymmetric";

    private QuantRule() {
    }

    /** A clip range and the parameters that follow from it. */
    record Params(double min, double max, double scale, int zeroPoint) {
    }

    /** Throws bad input unless {@code scheme} is one of the three scheme names and {@code bits} is 2..16. */
    static void checkScheme(String source, String scheme, int bits) {
        if (!scheme.equals(UINT8_ASYMMETRIC) && !scheme.equals(INT8_SYMMETRIC) && !scheme.equals(INT8_ASYMMETRIC)) {
            throw InvalidInputException.of(source, "unknown scheme '" + scheme + "' (valid: " + UINT8_ASYMMETRIC + ", "
                    + INT8_SYMMETRIC + ", " + INT8_ASYMMETRIC + ")");
        }
        if (bits < 2 || bits > 16) {
            throw InvalidInputException.of(source, "bits must be 2..16 (got " + bits + ")");
        }
    }

    static boolean isSigned(String scheme) {
        return !scheme.equals(UINT8_ASYMMETRIC);
    }

    /** The storage type's range, which a zero point must lie in: [0, 2^b-1] unsigned, [-2^(b-1), 2^(b-1)-1] signed. */
    static int storageMin(String scheme, int bits) {
        return isSigned(scheme) ? -(1 << (bits - 1)) : 0;
    }

    static int storageMax(String scheme, int bits) {
        return isSigned(scheme) ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /**
     * ONNX Runtime's rule (see the class comment) on the observed range [lo, hi], through
     * {@link QuantParams#onnxRuntime(float, float, QuantSpec)} (float32 range arithmetic, as numpy does it).
     */
    static Params fromRange(String scheme, int bits, double lo, double hi) {
        QuantSpec spec = QuantSpec.of(QuantScheme.fromCliName(scheme), bits);
        if (!Float.isFinite((float) lo) || !Float.isFinite((float) hi) || !Float.isFinite((float) hi - (float) lo)) {
            throw new InvalidInputException("range [" + lo + ", " + hi + "] does not fit float32");
        }
        float min = Math.min((float) lo, 0f);
        float max = Math.max((float) hi, 0f);
        if (spec.symmetric()) {
            float a = Math.max(Math.abs(min), Math.abs(max));
            min = -a;
            max = a;
        }
        QuantParams p = QuantParams.onnxRuntime(min, max, spec);
        return new Params(min, max, p.scale(), p.zeroPoint());
    }
}
