package org.quantlens.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major (C order) tensor: a {@link DType}, a {@link Shape} and one primitive array holding the
 * elements. The array is shared, not copied: a tensor handed to someone else must not be mutated afterwards.
 * Kernels create new tensors for their outputs.
 *
 * <p>Storage: FLOAT32 {@code float[]}, FLOAT64 {@code double[]}, INT8/UINT8 {@code byte[]} (UINT8 read as
 * {@code b & 0xff}), INT16/FLOAT16/BFLOAT16 {@code short[]}, INT32 {@code int[]}, INT64 {@code long[]},
 * BOOL {@code boolean[]}.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final Object data;

    private Tensor(DType dtype, Shape shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Wraps {@code data} (not copied). Throws IllegalArgumentException when the array type does not match the
     * dtype or its length is not the shape's element count.
     */
    public static Tensor of(DType dtype, Shape shape, Object data) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Class<?> expected = storageClass(dtype);
        if (data.getClass() != expected) {
            throw new IllegalArgumentException(dtype + " tensor needs " + expected.getSimpleName() + ", got "
                    + data.getClass().getSimpleName());
        }
        int len = java.lang.reflect.Array.getLength(data);
        if (len != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " elements, got " + len);
        }
        return new Tensor(dtype, shape, data);
    }

    /** A zero-filled tensor (false for BOOL). */
    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(dtype, shape, allocate(dtype, shape.numElements()));
    }

    public static Tensor ofFloats(Shape shape, float... data) {
        return of(DType.FLOAT32, shape, data);
    }

    public static Tensor ofDoubles(Shape shape, double... data) {
        return of(DType.FLOAT64, shape, data);
    }

    public static Tensor ofInt8(Shape shape, byte... data) {
        return of(DType.INT8, shape, data);
    }

    public static Tensor ofUint8(Shape shape, byte... data) {
        return of(DType.UINT8, shape, data);
    }

    public static Tensor ofInts(Shape shape, int... data) {
        return of(DType.INT32, shape, data);
    }

    public static Tensor ofLongs(Shape shape, long... data) {
        return of(DType.INT64, shape, data);
    }

    public static Tensor ofBools(Shape shape, boolean... data) {
        return of(DType.BOOL, shape, data);
    }

    public static Tensor scalar(float v) {
        return ofFloats(Shape.scalar(), v);
    }

    /** A new primitive array of the storage class of {@code dtype}. */
    public static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT8, UINT8 -> new byte[n];
            case INT16, FLOAT16, BFLOAT16 -> new short[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    /** The primitive array class used to store {@code dtype}. */
    public static Class<?> storageClass(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT8, UINT8 -> byte[].class;
            case INT16, FLOAT16, BFLOAT16 -> short[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
            case BOOL -> boolean[].class;
        };
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    /** Element count. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The backing array (not a copy). */
    public Object data() {
        return data;
    }

    public float[] floats() {
        return (float[]) require(DType.FLOAT32);
    }

    public double[] doubles() {
        return (double[]) require(DType.FLOAT64);
    }

    /** INT8 or UINT8 storage. */
    public byte[] bytes() {
        if (dtype != DType.INT8 && dtype != DType.UINT8) {
            throw new IllegalStateException("expected int8 or uint8 tensor, got " + dtype.displayName());
        }
        return (byte[]) data;
    }

    /** INT16, FLOAT16 or BFLOAT16 storage (raw 16-bit patterns for the float types). */
    public short[] shorts() {
        if (dtype != DType.INT16 && dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalStateException("expected a 16-bit tensor, got " + dtype.displayName());
        }
        return (short[]) data;
    }

    public int[] ints() {
        return (int[]) require(DType.INT32);
    }

    public long[] longs() {
        return (long[]) require(DType.INT64);
    }

    public boolean[] bools() {
        return (boolean[]) require(DType.BOOL);
    }

    private Object require(DType t) {
        if (dtype != t) {
            throw new IllegalStateException("expected " + t.displayName() + " tensor, got " + dtype.displayName());
        }
        return data;
    }

    /** Element {@code i} (flat, C order) as a double; UINT8 unsigned, BOOL 0/1, half types widened exactly. */
    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            case INT16 -> ((short[]) data)[i];
            case FLOAT16 -> Float16.toFloat(((short[]) data)[i]);
            case BFLOAT16 -> BFloat16.toFloat(((short[]) data)[i]);
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
        };
    }

    /** Element {@code i} as a long; floating types truncate toward zero (Java's cast semantics). */
    public long getLong(int i) {
        return switch (dtype) {
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            case INT16 -> ((short[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
            default -> (long) getDouble(i);
        };
    }

    /** All elements as longs (for shape, axes and index inputs). */
    public long[] toLongArray() {
        long[] r = new long[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = getLong(i);
        }
        return r;
    }

    /** All elements as doubles. */
    public double[] toDoubleArray() {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = getDouble(i);
        }
        return r;
    }

    /** This tensor as FLOAT32: itself when it already is, else a converted copy. */
    public Tensor toFloat32() {
        if (dtype == DType.FLOAT32) {
            return this;
        }
        float[] r = new float[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) getDouble(i);
        }
        return new Tensor(DType.FLOAT32, shape, r);
    }

    /** The same data viewed with another shape of equal element count (no copy). */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new Tensor(dtype, newShape, data);
    }

    /** A deep copy. */
    public Tensor copy() {
        Object c = allocate(dtype, size());
        System.arraycopy(data, 0, c, 0, size());
        return new Tensor(dtype, shape, c);
    }

    /** Same dtype, same shape, same elements (NaN equals NaN bitwise for float types). */
    public boolean contentEquals(Tensor o) {
        if (dtype != o.dtype || !shape.equals(o.shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) data, (float[]) o.data);
            case FLOAT64 -> Arrays.equals((double[]) data, (double[]) o.data);
            case INT8, UINT8 -> Arrays.equals((byte[]) data, (byte[]) o.data);
            case INT16, FLOAT16, BFLOAT16 -> Arrays.equals((short[]) data, (short[]) o.data);
            case INT32 -> Arrays.equals((int[]) data, (int[]) o.data);
            case INT64 -> Arrays.equals((long[]) data, (long[]) o.data);
            case BOOL -> Arrays.equals((boolean[]) data, (boolean[]) o.data);
        };
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype.displayName() + shape + ")";
    }
}
