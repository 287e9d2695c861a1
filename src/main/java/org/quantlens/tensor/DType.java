package org.quantlens.tensor;

/**
 * Element types a {@link Tensor} can hold, with their ONNX {@code TensorProto.DataType} codes.
 *
 * <p>Storage per type (see {@link Tensor}): FLOAT32 {@code float[]}, FLOAT64 {@code double[]}, INT8 and UINT8
 * {@code byte[]} (UINT8 read unsigned), INT16, FLOAT16 and BFLOAT16 {@code short[]} (the 16-bit patterns),
 * INT32 {@code int[]}, INT64 {@code long[]}, BOOL {@code boolean[]}.
 */
public enum DType {
    FLOAT32(1, 4, "f4"),
    UINT8(2, 1, "u1"),
    INT8(3, 1, "i1"),
    INT16(5, 2, "i2"),
    INT32(6, 4, "i4"),
    INT64(7, 8, "i8"),
    BOOL(9, 1, "b1"),
    FLOAT16(10, 2, "f2"),
    FLOAT64(11, 8, "f8"),
    BFLOAT16(16, 2, null);

    private final int onnxCode;
    private final int byteSize;
    private final String numpyKind;

    DType(int onnxCode, int byteSize, String numpyKind) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.numpyKind = numpyKind;
    }

    /** The ONNX TensorProto.DataType value. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element in raw (little-endian) storage. */
    public int byteSize() {
        return byteSize;
    }

    /** numpy kind+size without byte order ("f4", "u1", ...), or null when numpy has no such type (bfloat16). */
    public String numpyKind() {
        return numpyKind;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    public boolean isInteger() {
        return this == UINT8 || this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** The type with this ONNX code, or null if QuantLens does not support it. */
    public static DType fromOnnxCode(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }

    /** Lower-case ONNX-style name, e.g. "float32", "uint8". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
