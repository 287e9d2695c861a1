package org.quantlens.formats;

import org.quantlens.tensor.InvalidInputException;

/**
 * Scale and zero point from a clip range, with ONNX Runtime's rule ({@code quant_utils.compute_scale_zp}): the range
 * is widened to include 0; symmetric schemes use [-a, a] with a = max(|min|, |max|); scale = (max - min)/(qmax - qmin);
 * zero point = round(qmin - min/scale) half to even (0 for int8-symmetric); a zero-width range gets scale 1.
 * Integer ranges per scheme and bit width b: uint8-asymmetric [0, 2^b - 1], int8-symmetric [-(2^(b-1) - 1),
 * 2^(b-1) - 1] (TensorRT's and ORT's restricted symmetric range, 127 for 8 bits), int8-asymmetric [-2^(b-1), 2^(b-1) - 1].
 *
 * <p>A private stand-in for {@code org.quantlens.quant.QuantParams} (another helper's work, same rule) until it lands
 * on main; then this class delegates to it or goes.
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

    /** The smallest quantized value the scheme uses. */
    static int qmin(String scheme, int bits) {
        return switch (scheme) {
            case UINT8_ASYMMETRIC -> 0;
            case INT8_SYMMETRIC -> -((1 << (bits - 1)) - 1);
            default -> -(1 << (bits - 1));
        };
    }

    /** The largest quantized value the scheme uses. */
    static int qmax(String scheme, int bits) {
        return scheme.equals(UINT8_ASYMMETRIC) ? (1 << bits) - 1 : (1 << (bits - 1)) - 1;
    }

    /** The storage type's range, which a zero point must lie in: [0, 2^b-1] unsigned, [-2^(b-1), 2^(b-1)-1] signed. */
    static int storageMin(String scheme, int bits) {
        return isSigned(scheme) ? -(1 << (bits - 1)) : 0;
    }

    static int storageMax(String scheme, int bits) {
        return isSigned(scheme) ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** ONNX Runtime's rule (see the class comment) on the observed range [lo, hi]. */
    static Params fromRange(String scheme, int bits, double lo, double hi) {
        double min = Math.min(lo, 0.0);
        double max = Math.max(hi, 0.0);
        if (scheme.equals(INT8_SYMMETRIC)) {
            double a = Math.max(Math.abs(min), Math.abs(max));
            min = -a;
            max = a;
        }
        int qmin = qmin(scheme, bits);
        int qmax = qmax(scheme, bits);
        double scale = (max - min) / (qmax - qmin);
        if (!(scale >= Float.MIN_NORMAL)) {
            scale = 1.0;
        }
        int zp = scheme.equals(INT8_SYMMETRIC) ? 0 : (int) Math.rint(qmin - min / scale);
        return new Params(min, max, scale, Math.max(qmin, Math.min(qmax, zp)));
    }
}
