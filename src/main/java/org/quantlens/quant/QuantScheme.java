package org.quantlens.quant;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How real values map to integers: signedness of the integer type and whether the real range is symmetric
 * around zero. The command-line names are part of the contract (CONTRACTS.md, {@code --scheme}).
 */
public enum QuantScheme {
    /** Unsigned, affine: the ONNX Runtime default for activations (QUInt8, {@code symmetric=False}). */
    UINT8_ASYMMETRIC("uint8-asymmetric", false, false),
    /**
     * Signed, symmetric around zero with zero point 0: TensorRT's scheme, scale = threshold / 127 on the
     * restricted range [-127, 127] (see {@link QuantSpec#restrictedSymmetric()}).
     */
    INT8_SYMMETRIC("int8-symmetric", true, true),
    /** Signed, affine (QInt8 with {@code symmetric=False} in ONNX Runtime). */
    INT8_ASYMMETRIC("int8-asymmetric", true, false);

    private final String cliName;
    private final boolean signed;
    private final boolean symmetric;

    QuantScheme(String cliName, boolean signed, boolean symmetric) {
        this.cliName = cliName;
        this.signed = signed;
        this.symmetric = symmetric;
    }

    /** The name used on the command line and in calibration tables, e.g. {@code "uint8-asymmetric"}. */
    public String cliName() {
        return cliName;
    }

    /** True when the integer type is signed (int8 family). */
    public boolean signed() {
        return signed;
    }

    /** True when the real range is made symmetric, [-absmax, absmax], and the zero point is the range midpoint. */
    public boolean symmetric() {
        return symmetric;
    }

    /**
     * The scheme with this command-line name (exact, case-sensitive match).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is unknown or null
     */
    public static QuantScheme fromCliName(String name) {
        for (QuantScheme s : values()) {
            if (s.cliName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown quantization scheme '" + name + "' (expected one of "
                + Arrays.stream(values()).map(QuantScheme::cliName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
