package org.quantlens.quant;

/**
 * A scheme narrowed to a bit width, plus the range options the references offer.
 *
 * <p>Integer range {@code [qmin(), qmax()]}:
 * <ul>
 *   <li>unsigned: {@code [0, 2^bits - 1]}; signed: {@code [-2^(bits-1), 2^(bits-1) - 1]};</li>
 *   <li>{@code reduceRange}: both ends floor-divided by 2, PyTorch's rule ({@code calculate_qmin_qmax}):
 *       quint8 [0, 127], qint8 [-64, 63]. (ONNX Runtime's own table uses [-64, 64] for reduced int8; the
 *       scale rule {@link QuantParams#onnxRuntime} itself takes the range it is given.)</li>
 *   <li>{@code restrictedSymmetric} (symmetric schemes only): {@code qmin = -qmax}, i.e. [-127, 127] at 8 bits,
 *       TensorRT's range and ONNX Runtime's {@code ONNX_INT_TYPE_SYMMETRIC_RANGE}. Applied after reduceRange.</li>
 * </ul>
 *
 * @param scheme              signedness and symmetry
 * @param bits                2..16
 * @param reduceRange         use one bit less of range (for VPMADDUBSW-style overflow avoidance)
 * @param powerOfTwoScale     round every scale up to the next power of two, 2^ceil(log2 s)
 * @param restrictedSymmetric drop the most negative code so the range is symmetric; ignored by asymmetric schemes
 */
public record QuantSpec(QuantScheme scheme, int bits, boolean reduceRange, boolean powerOfTwoScale,
                        boolean restrictedSymmetric) {

    /** Validates: scheme not null, bits in 2..16. */
    public QuantSpec {
        if (scheme == null) {
            throw new IllegalArgumentException("scheme is null");
        }
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("bits must be in 2..16, got " + bits);
        }
    }

    /** The scheme at {@code bits}, no reduced range, free scales; symmetric schemes use the restricted range. */
    public static QuantSpec of(QuantScheme scheme, int bits) {
        return new QuantSpec(scheme, bits, false, false, scheme.symmetric());
    }

    /** The scheme at 8 bits ({@link #of(QuantScheme, int)}). */
    public static QuantSpec of(QuantScheme scheme) {
        return of(scheme, 8);
    }

    /** Default for activations: uint8 asymmetric, ONNX Runtime's default. */
    public static QuantSpec activationsDefault() {
        return of(QuantScheme.UINT8_ASYMMETRIC);
    }

    /** Default for weights: int8 symmetric on [-127, 127] (used per channel along axis 0). */
    public static QuantSpec weightsDefault() {
        return of(QuantScheme.INT8_SYMMETRIC);
    }

    /** True when the scheme is symmetric (range [-absmax, absmax], zero point at the midpoint). */
    public boolean symmetric() {
        return scheme.symmetric();
    }

    /** Smallest integer code (see class doc). */
    public int qmin() {
        if (!scheme.signed()) {
            return 0;
        }
        if (restrictedSymmetric && scheme.symmetric()) {
            return -qmax();
        }
        int full = -(1 << (bits - 1));
        return reduceRange ? Math.floorDiv(full, 2) : full;
    }

    /** Largest integer code (see class doc). */
    public int qmax() {
        int full = scheme.signed() ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        return reduceRange ? Math.floorDiv(full, 2) : full;
    }

    /** A copy with another bit width. */
    public QuantSpec withBits(int newBits) {
        return new QuantSpec(scheme, newBits, reduceRange, powerOfTwoScale, restrictedSymmetric);
    }

    /** A copy with reduceRange set. */
    public QuantSpec withReduceRange(boolean reduce) {
        return new QuantSpec(scheme, bits, reduce, powerOfTwoScale, restrictedSymmetric);
    }

    /** A copy with powerOfTwoScale set. */
    public QuantSpec withPowerOfTwoScale(boolean pot) {
        return new QuantSpec(scheme, bits, reduceRange, pot, restrictedSymmetric);
    }

    /** A copy with restrictedSymmetric set. */
    public QuantSpec withRestrictedSymmetric(boolean restricted) {
        return new QuantSpec(scheme, bits, reduceRange, powerOfTwoScale, restricted);
    }
}
